"""Contracts derived once per burst of recorded batches, exact for everything that reads them."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from accord.composition import interaction_service
from accord.contracts.following import ContractFollower
from tests.factories import self_verification
from tests.test_contracts import count_rows, exchange
from tests.test_interactions import make_item
from tests.test_static_checks import SPEC


def run_items(version: str, paths: range) -> list[dict[str, Any]]:
    return [make_item(version=version, path=f"/orders/{n}", consumer_branch="main", body={"n": n}) for n in paths]


def record(client: Any, tenant: Any, items: list[dict[str, Any]]) -> None:
    response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant.headers())
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == 0, response.text


def test_two_ci_jobs_interleaving_batches_end_in_the_one_batch_contract(client: Any, run: Any, tenant_a: Any) -> None:
    """Two jobs of one consumer version send overlapping batches of 10 in turn while readers derive the contract
    mid-run: the final content and SHA are those of all the interactions recorded in one batch."""
    first, second = run_items("1.0.0", range(120)), run_items("1.0.0", range(60, 180))
    service = interaction_service(tenant_a.id)

    async def job(items: list[dict[str, Any]]) -> None:
        for start in range(0, len(items), 10):
            await service.record_batch(items[start : start + 10])
            await asyncio.sleep(0)

    async def reader() -> None:
        for _ in range(6):
            await ContractFollower(tenant_a.id).settle()
            await asyncio.sleep(0.01)

    async def race() -> None:
        await asyncio.gather(job(first), job(second), reader())

    run(race)
    record(client, tenant_a, run_items("2.0.0", range(180)))  # the same interactions, in one batch

    h = tenant_a.headers()
    raced = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
    single = client.get("/api/contracts/web/2.0.0/orders", headers=h).json()
    assert raced["interaction_count"] == 180
    assert raced["sha"] == single["sha"]
    assert raced["interactions"] == single["interactions"]
    assert run(count_rows, "interaction") == 360
    assert run(count_rows, "pending_contract") == 0


def test_readers_see_every_recorded_batch_at_once(client: Any, tenant_a: Any) -> None:
    """No waiting for the settler: contract, Pact pact, matrix and verification tasks include the batch just
    recorded."""
    h = tenant_a.headers()
    record(client, tenant_a, run_items("1.0.0", range(3)))
    assert client.get("/api/contracts/web/1.0.0/orders", headers=h).json()["interaction_count"] == 3
    record(client, tenant_a, run_items("1.0.0", range(3, 5)))
    pact = client.get("/pacts/provider/orders/consumer/web/version/1.0.0", headers=h)
    assert pact.status_code == 200, pact.text
    assert len(pact.json()["interactions"]) == 5
    record(client, tenant_a, run_items("1.0.0", range(5, 6)))
    matrix = client.get("/api/matrix", params={"consumer": "web", "provider": "orders"}, headers=h)
    assert matrix.status_code == 200, matrix.text
    contract = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
    assert contract["interaction_count"] == 6
    assert contract["sha"] in matrix.text
    record(client, tenant_a, run_items("1.0.0", range(6, 8)))
    tasks = client.get("/api/verification/orders/tasks", params={"providerVersion": "9"}, headers=h)
    assert tasks.status_code == 200, tasks.text
    assert client.get("/api/contracts/web/1.0.0/orders", headers=h).json()["sha"] in tasks.text


def test_static_checks_are_queued_once_per_final_content(client: Any, run: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    spec = client.post("/api/services/orders/versions/1/spec", json=SPEC, params=self_verification(), headers=h)
    assert spec.status_code == 201, spec.text
    items = run_items("1.0.0", range(20))
    for start in range(0, 20, 4):
        record(client, tenant_a, items[start : start + 4])
    assert client.get("/api/contracts/web/1.0.0/orders", headers=h).json()["interaction_count"] == 20
    assert run(count_rows, "static_check") == 1
    assert run(count_rows, "contract_content") == 1


def test_the_settler_derives_contracts_nobody_reads(client: Any, run: Any, tenant_a: Any) -> None:
    """Static checks depend on it: a quiet contract is derived in the background."""
    record(client, tenant_a, run_items("1.0.0", range(3)))
    deadline = time.monotonic() + 20
    while run(count_rows, "contract_publication") == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run(count_rows, "contract_publication") == 1
    assert run(count_rows, "pending_contract") == 0


def test_publishing_counts_recorded_batches_not_yet_derived(client: Any, tenant_a: Any) -> None:
    """POST /api/contracts compares with what the version recorded, derived or not."""
    h = tenant_a.headers()
    recorded = [exchange(path) for path in ("/a", "/b")]
    record(client, tenant_a, [make_item(**interaction) for interaction in recorded])
    same = {"consumer": "web", "consumer_version": "1.0.0", "provider": "orders", "interactions": recorded}
    answer = client.post("/api/contracts", json=same, headers=h)
    assert answer.status_code in (200, 201), answer.text
    assert answer.json()["status"] == "unchanged"
    record(client, tenant_a, [make_item(**exchange("/c"))])
    conflict = client.post("/api/contracts", json=same, headers=h)
    assert conflict.status_code == 409, conflict.text


def test_deletes_count_the_contract_of_a_batch_not_yet_derived(client: Any, tenant_a: Any) -> None:
    """Deleting a version or a service counts its contracts, derived or not (catalog/removal.py)."""
    h = tenant_a.headers()
    record(client, tenant_a, run_items("1.0.0", range(2)))
    refused = client.delete("/api/services/web/versions/1.0.0", headers=h)
    assert refused.status_code == 409, refused.text
    assert "1 contracts" in refused.json()["detail"]
    refused = client.delete("/api/services/orders", headers=h)
    assert refused.status_code == 409, refused.text
    assert "contracts" in refused.json()["detail"]


def test_isolation_of_pending_contracts(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    """Another tenant's reads derive only their own contracts; its contract of the same names is a 404."""
    record(client, tenant_a, run_items("1.0.0", range(3)))
    assert client.get("/api/contracts/web/1.0.0/orders", headers=tenant_b.headers()).status_code == 404
    assert client.get("/api/contracts/web/1.0.0/orders", headers=tenant_a.headers()).status_code == 200
