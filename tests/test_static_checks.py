"""Bi-directional contract testing: contracts checked against the provider's OpenAPI spec in the background,
counted by can-i-deploy beside replayed verifications."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.factories import self_verification

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Orders", "version": "1"},
    "paths": {
        "/orders/{id}": {
            "get": {
                "operationId": "getOrder",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "an order",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    }
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Order": {
                "type": "object",
                "required": ["id", "total"],
                "properties": {"id": {"type": "integer"}, "total": {"type": "number"}, "note": {"type": "string"}},
            }
        }
    },
}


def order_interaction(consumer: str, version: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "consumer": consumer,
        "consumer_version": version,
        "provider": "orders",
        "request": {"method": "GET", "path": "/orders/42"},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
    }


def wait_for_checks(client: Any, headers: dict[str, str], expected: int) -> list[dict[str, Any]]:
    """Checks run in the background; poll (bounded) until `expected` of them finished."""
    deadline = time.monotonic() + 20
    while True:
        items: list[dict[str, Any]] = client.get("/api/static-checks", headers=headers).json()["items"]
        done = [item for item in items if item["status"] in ("passed", "failed", "error")]
        if len(done) >= expected or time.monotonic() > deadline:
            return items
        time.sleep(0.05)


@pytest.fixture
def orders_spec(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/services/orders/versions/1/spec", json=SPEC, params=self_verification(), headers=tenant_a.headers()
    )
    assert response.status_code == 201, response.text


def record(client: Any, tenant: Any, *items: dict[str, Any]) -> None:
    response = client.post("/api/interactions/batch", json={"items": list(items)}, headers=tenant.headers())
    assert response.json()["errors"] == 0, response.text


def test_contracts_are_checked_against_the_spec(client: Any, tenant_a: Any, orders_spec: None) -> None:
    record(
        client,
        tenant_a,
        order_interaction("web", "1", {"id": 42, "total": 12.5}),
        order_interaction("mobile", "1", {"id": 42, "total": "12.5"}),
    )
    checks = {c["consumer"]: c for c in wait_for_checks(client, tenant_a.headers(), expected=2)}
    assert checks["web"]["status"] == "passed"
    assert checks["mobile"]["status"] == "failed"
    assert checks["mobile"]["summary"] == {"passed": 0, "failed": 1, "not_checkable": 0}

    detail = client.get(f"/api/static-checks/{checks['mobile']['id']}", headers=tenant_a.headers()).json()
    mismatch = detail["results"][0]["mismatches"][0]
    assert mismatch["pointer"] == "/response/body/total"
    assert mismatch["spec_pointer"].startswith("/components/schemas/Order/properties/total")
    assert "total" in mismatch["message"]

    by_contract = client.get(
        "/api/contracts/web/1/orders/static-check", params={"providerVersion": "1"}, headers=tenant_a.headers()
    )
    assert by_contract.status_code == 200
    assert by_contract.json()["status"] == "passed"


def test_a_new_spec_is_checked_against_existing_contracts(client: Any, tenant_a: Any) -> None:
    record(client, tenant_a, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    assert client.get("/api/static-checks", headers=tenant_a.headers()).json()["items"] == []
    client.post("/api/services/orders/versions/1/spec", json=SPEC, headers=tenant_a.headers())
    checks = wait_for_checks(client, tenant_a.headers(), expected=1)
    assert [c["status"] for c in checks] == ["passed"]


def test_can_i_deploy_counts_a_passed_static_check(client: Any, tenant_a: Any, orders_spec: None) -> None:
    record(
        client,
        tenant_a,
        order_interaction("web", "1", {"id": 42, "total": 12.5}),
        order_interaction("mobile", "1", {"id": 42, "total": "12.5"}),
    )
    wait_for_checks(client, tenant_a.headers(), expected=2)
    deploy = {"service": "orders", "version": "1", "environment": "production"}
    assert client.post("/api/deployments", json=deploy, headers=tenant_a.headers()).status_code == 201

    params = {"service": "web", "version": "1", "environment": "production"}
    web = client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).json()
    assert web["deployable"] is True
    assert web["rows"][0]["verified_by"] == "static-check"
    assert web["rows"][0]["verification"] is None

    params["service"] = "mobile"
    mobile = client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).json()
    assert mobile["deployable"] is False
    assert mobile["rows"][0]["status"] == "failed"
    assert "does not match orders 1's OpenAPI spec" in mobile["reason"]
    assert "total" in mobile["reason"]


def test_a_replayed_verification_still_counts_beside_the_static_check(
    client: Any, tenant_a: Any, orders_spec: None
) -> None:
    record(client, tenant_a, order_interaction("mobile", "1", {"id": 42, "total": "12.5"}))
    wait_for_checks(client, tenant_a.headers(), expected=1)
    client.post(
        "/api/deployments", json={"service": "orders", "version": "1", "environment": "production"},
        headers=tenant_a.headers(),
    )  # fmt: skip
    contract = client.get("/api/contracts/mobile/1/orders", headers=tenant_a.headers()).json()
    body = {
        "provider_version": "1",
        "contract": {"consumer": "mobile", "sha": contract["sha"]},
        "success": True,
        "results": [{"interaction": i["key"], "success": True} for i in contract["interactions"]],
    }
    assert client.post("/api/verification/orders/results", json=body, headers=tenant_a.headers()).status_code == 201
    params = {"service": "mobile", "version": "1", "environment": "production"}
    answer = client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).json()
    assert answer["deployable"] is True
    assert answer["rows"][0]["verified_by"] == "verification"


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any, orders_spec: None) -> None:
    record(client, tenant_a, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    check = wait_for_checks(client, tenant_a.headers(), expected=1)[0]
    b = tenant_b.headers()
    assert client.get("/api/static-checks", headers=b).json()["items"] == []
    assert client.get(f"/api/static-checks/{check['id']}", headers=b).status_code == 404
    assert client.get("/api/static-checks", params={"provider": "orders"}, headers=b).status_code == 404
    response = client.get("/api/contracts/web/1/orders/static-check", params={"providerVersion": "1"}, headers=b)
    assert response.status_code == 404


def test_pact_matrix_shows_the_static_check_as_the_verification(client: Any, tenant_a: Any, orders_spec: None) -> None:
    record(client, tenant_a, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    wait_for_checks(client, tenant_a.headers(), expected=1)
    client.post(
        "/api/deployments", json={"service": "orders", "version": "1", "environment": "production"},
        headers=tenant_a.headers(),
    )  # fmt: skip
    query = "q[][pacticipant]=web&q[][version]=1&latestby=cvp&environment=production"
    matrix = client.get(f"/matrix?{query}", headers=tenant_a.headers()).json()
    assert matrix["summary"]["deployable"] is True
    [row] = matrix["matrix"]
    assert row["verificationResult"]["success"] is True
    assert "static check" in row["verificationResult"]["verifiedBy"]["implementation"]
    assert "/api/static-checks/" in row["verificationResult"]["_links"]["self"]["href"]
