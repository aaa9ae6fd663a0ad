"""Static checks under concurrency: specs and contracts committed together are still paired, and a check
whose worker died is taken up again promptly."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import os
import time
from typing import Any

import asyncpg
import httpx

from tests.test_static_checks import SPEC, order_interaction, record, wait_for_checks

RACERS = 6


def spec_of_version(version: int) -> dict[str, Any]:
    """SPEC with a distinct document (so a distinct content sha) per provider version."""
    return {**SPEC, "info": {"title": "Orders", "version": str(version)}}


async def _race(writes: list[tuple[str, tuple[Any, ...]]]) -> None:
    """Run each write in its own transaction on its own connection, holding every commit until all the writes
    are done, or 0.3 s have passed: once queueing is race-free, some writes wait for others to commit."""
    connections = [await asyncpg.connect(os.environ["DATABASE_URL"]) for _ in writes]
    done: list[str] = []
    all_written = asyncio.Event()

    async def write(connection: asyncpg.Connection, statement: str, args: tuple[Any, ...]) -> None:
        async with connection.transaction():
            await connection.execute(statement, *args)
            done.append(statement)
            if len(done) == len(writes):
                all_written.set()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(all_written.wait(), 0.3)

    try:
        await asyncio.gather(*(write(c, s, a) for c, (s, a) in zip(connections, writes, strict=True)))
    finally:
        for connection in connections:
            await connection.close()


async def _unqueued_pairs(tenant: Any, provider: str) -> list[Any]:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return list(
            await connection.fetch(
                "SELECT p.content, sp.content_sha FROM contract_publication p "
                "JOIN service s ON s.id = p.provider AND s.name = $2 "
                "JOIN spec sp ON sp.tenant = p.tenant AND sp.service = p.provider "
                "WHERE p.tenant = $1 AND NOT EXISTS (SELECT 1 FROM static_check sc "
                "  WHERE sc.tenant = p.tenant AND sc.content = p.content AND sc.spec_sha = sp.content_sha)",
                tenant.id,
                provider,
            )
        )
    finally:
        await connection.close()


async def _ids(tenant: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Orders' specs, the publications of contracts with orders, and the contents consumers expect of billing."""
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        by_provider = "SELECT {} FROM {} t JOIN service s ON s.id = t.{} WHERE t.tenant = $1 AND s.name = $2 ORDER BY 1"
        specs = await connection.fetch(by_provider.format("t.id", "spec", "service"), tenant.id, "orders")
        publications = await connection.fetch(
            by_provider.format("t.id", "contract_publication", "provider"), tenant.id, "orders"
        )
        contents = await connection.fetch(
            by_provider.format("t.content", "contract_publication", "provider"), tenant.id, "billing"
        )
    finally:
        await connection.close()
    return [r[0] for r in specs], [r[0] for r in publications], [r[0] for r in contents]


def test_specs_and_contracts_committed_together_are_all_paired(client: Any, run: Any, tenant_a: Any) -> None:
    """Each spec write and each contract write commits while the others are in flight: under READ COMMITTED
    each trigger saw only the other side's committed rows, so no racing (contract, spec) pair was queued."""
    for n in range(RACERS):
        response = client.post(
            f"/api/services/orders/versions/{n}/spec", json=spec_of_version(n), headers=tenant_a.headers()
        )
        assert response.status_code == 201, response.text
        billing = {**order_interaction(f"c{n}", "1", {"id": n, "total": n}), "provider": "billing"}
        record(client, tenant_a, order_interaction(f"c{n}", "1", {"id": 42, "total": 1.5}), billing)
    assert client.get("/api/contracts", headers=tenant_a.headers()).status_code == 200  # derives them now
    spec_ids, publication_ids, billing_contents = run(_ids, tenant_a)
    assert len(spec_ids) == len(publication_ids) == len(billing_contents) == RACERS

    # New spec contents for orders, and new contents (copied from billing) published to orders, all at once.
    writes = [("UPDATE spec SET content_sha = $1 WHERE id = $2", (f"race-{n}", spec_ids[n])) for n in range(RACERS)]
    writes += [
        (
            "UPDATE contract_publication SET content = $1 WHERE id = $2",
            (billing_contents[n], publication_ids[n]),
        )
        for n in range(RACERS)
    ]
    run(_race, writes)

    assert run(_unqueued_pairs, tenant_a, "orders") == []


async def _sql(statement: str, *args: Any) -> Any:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return await connection.fetch(statement, *args)
    finally:
        await connection.close()


def test_a_check_whose_worker_died_is_taken_up_after_the_lease(client: Any, run: Any, tenant_a: Any) -> None:
    """A worker killed mid-check leaves it 'running' with a lease it no longer renews: another worker takes it
    once the lease (30 s, not the 5 minutes it was) has run out."""
    from accord.compatibility.job_queue import LEASE

    client.post("/api/services/orders/versions/1/spec", json=SPEC, headers=tenant_a.headers())
    record(client, tenant_a, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    assert [c["status"] for c in wait_for_checks(client, tenant_a.headers(), expected=1)] == ["passed"]

    # As a dead worker leaves it: claimed just over a lease ago and never renewed.
    run(
        _sql,
        "UPDATE static_check SET status = 'running', results = NULL, claimed_at = now() - $1::interval",
        LEASE + datetime.timedelta(seconds=1),
    )
    deadline = time.monotonic() + 15  # the worker polls every 5 s
    while run(_sql, "SELECT status FROM static_check")[0]["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run(_sql, "SELECT status, attempts FROM static_check")[0]["status"] == "passed"


def test_a_renewed_lease_keeps_the_check_with_its_worker(client: Any, run: Any, tenant_a: Any) -> None:
    from accord.compatibility.job_queue import LEASE, claim, renew

    client.post("/api/services/orders/versions/1/spec", json=SPEC, headers=tenant_a.headers())
    record(client, tenant_a, order_interaction("web", "1", {"id": 42, "total": 12.5}))
    wait_for_checks(client, tenant_a.headers(), expected=1)
    [row] = run(
        _sql,
        "UPDATE static_check SET status = 'running', claimed_at = now() - $1::interval RETURNING id",
        LEASE - datetime.timedelta(seconds=2),
    )
    run(renew, [row["id"]])
    # Without the renewal the lease would run out in 2 s; with it nobody else may claim it for a whole lease.
    time.sleep(2.5)
    assert run(claim, 10) == []
    assert run(_sql, "SELECT status FROM static_check")[0]["status"] == "running"


async def _publish_concurrently(server: Any, key: str, rounds: int) -> list[Any]:
    """Spec uploads and contract recordings for the same provider, all in flight together."""
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as client:
        specs = [client.post(f"/api/services/orders/versions/{n}/spec", json=spec_of_version(n)) for n in range(rounds)]
        contracts = [
            client.post(
                "/api/interactions/batch",
                json={"items": [order_interaction(f"c{n}", "1", {"id": 42, "total": n + 0.5})]},
            )
            for n in range(rounds)
        ]
        return list(await asyncio.gather(*specs, *contracts))


def test_concurrent_spec_uploads_and_contract_recordings_are_all_paired(live_server: Any, live_tenant: Any) -> None:
    """The issue's scenario through the served API: every (contract, spec) pair is queued by the time the
    uploads have answered and the contracts are read, with no request refused for the lock."""
    rounds = 12
    responses = asyncio.run(_publish_concurrently(live_server, live_tenant.admin_key, rounds))
    assert [r.status_code for r in responses] == [201] * rounds + [200] * rounds, [r.text for r in responses]
    headers = {"Authorization": f"Bearer {live_tenant.admin_key}"}
    listed = httpx.get(f"{live_server.base_url}/api/contracts", params={"limit": 100}, headers=headers)
    assert len(listed.json()["items"]) == rounds  # reading derives the recorded contracts
    assert asyncio.run(_unqueued_pairs(live_tenant, "orders")) == []
    assert len(asyncio.run(_sql("SELECT 1 FROM static_check"))) == rounds * rounds
