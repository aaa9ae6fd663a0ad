"""A small tenant history the dashboard and page tests share, recorded through the HTTP API like CI would."""

from __future__ import annotations

from typing import Any

from tests.test_can_i_deploy import Broker, interaction


def verify(broker: Broker, provider: str, version: str, consumer: str, *, success: bool, branch: str | None) -> None:
    task = next(t for t in broker.tasks(provider, providerVersion=version)["tasks"] if t["consumer"] == consumer)
    results = [{"interaction": i["key"], "success": success, "mismatches": []} for i in task["interactions"]]
    body: dict[str, Any] = {
        "provider_version": version,
        "contract": {"consumer": consumer, "sha": task["sha"]},
        "success": success,
        "results": results,
        "verified_by": {"implementation": "pact-verifier", "version": "1.0"},
    }
    if branch:
        body["provider_branch"] = branch
    response = broker.client.post(f"/api/verification/{provider}/results", json=body, headers=broker.headers)
    assert response.status_code in (200, 201), response.text


def record_story(client: Any, tenant: Any) -> Broker:
    """web -> orders (verified on main and in production), web -> billing (failed in staging), mobile -> orders
    (never verified)."""
    broker = Broker(client, tenant)
    broker.record(
        interaction("web", "1.0.0", "orders", "/orders", branch="main"),
        interaction("web", "1.0.0", "billing", "/invoices", branch="main"),
        interaction("mobile", "7", "orders", "/orders/1", branch="main"),
    )
    verify(broker, "orders", "2.0.0", "web", success=True, branch="main")
    verify(broker, "billing", "3.1.0", "web", success=False, branch="feature-x")
    broker.deploy("orders", "2.0.0", "production")
    broker.deploy("billing", "3.1.0", "staging")
    broker.deploy("web", "1.0.0", "production")
    return broker
