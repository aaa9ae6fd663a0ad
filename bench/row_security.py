"""What row-level security and the audit log cost (issue 14): the cheap read and the ingest, with both on (as
Accord runs) and both off (served as the tables' owner, which the policies do not restrict, with the audit
triggers disabled), alternating in one invocation so that both see the same machine load."""

from __future__ import annotations

import json
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx

from bench.ingest import run_ingest
from bench.reads import cheap_read
from bench.server import BenchServer, accord_server

_AUDIT_TRIGGERS = (
    "SELECT tgrelid::regclass::text AS tab, tgname FROM pg_trigger "
    "WHERE tgname LIKE '%\\_audit\\_%' AND NOT tgisinternal"
)


async def _disable_audit(server: BenchServer) -> int:
    connection = await server.connect()
    try:
        triggers = await connection.fetch(_AUDIT_TRIGGERS)
        for row in triggers:
            await connection.execute(f'ALTER TABLE "{row["tab"]}" DISABLE TRIGGER "{row["tgname"]}"')
    finally:
        await connection.close()
    return len(triggers)


async def _one_mode(on: bool, run: int, log: Callable[[str], None]) -> dict[str, float]:
    with accord_server(workers=1, as_owner=not on) as server:
        if not on:
            assert await _disable_audit(server) > 0
        key = server.tenant("rls")
        log(f"row security and audit {'on' if on else 'off'}: ingest (run {run})")
        ingest = await run_ingest(server, key, run=run)
        # The service the cheap read gets (the demo history's name), created through the Pact API.
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
            (await client.put(f"{server.base_url}/pacticipants/consumer-001/versions/1", json={})).raise_for_status()
        cheap_read(server, key, connections=8)  # warm-up
        log(f"row security and audit {'on' if on else 'off'}: cheap read (run {run})")
        read = cheap_read(server, key)
        assert read.non_2xx == 0, "the cheap read failed"
        return {
            "ingest_per_second": ingest.per_second,
            "statements_per_batch": ingest.statements_per_batch,
            "read_per_second": read.requests_per_second,
            "read_p50_ms": read.p50_ms,
        }


async def row_security_figures(results: dict[str, Any], runs: int, log: Callable[[str], None]) -> None:
    await hot_insert_figures(results, rounds=40, log=log)
    measured: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
    for run in range(runs):
        for mode in ("off", "on"):
            measured[mode].append(await _one_mode(mode == "on", run, log))
    figures: dict[str, Any] = {}
    for name in ("ingest_per_second", "statements_per_batch", "read_per_second", "read_p50_ms"):
        off = [m[name] for m in measured["off"]]
        on = [m[name] for m in measured["on"]]
        figures[name] = {
            "off": statistics.median(off),
            "on": statistics.median(on),
            "ratio": statistics.median(b / a for a, b in zip(off, on, strict=True)),
            "off_all": off,
            "on_all": on,
        }
    results["row_security"] = figures


# The ingest's hot statement (interactions/repository.py), 1,000 rows a time, on one database: as the owner with
# the audit trigger disabled, as the owner with it, and as the application role (policies and trigger). Over HTTP
# the machine's noise swamps a few percent; here the three alternate statement by statement.
_HOT_INSERT = (
    "INSERT INTO interaction (tenant, consumer, consumer_version, provider, operation, request, response, hash, "
    "content_hash) SELECT $1, $2, $3, $2, 'op', t.req::jsonb, t.res::jsonb, t.h, t.h "
    "FROM unnest($4::text[], $5::text[], $6::text[]) AS t(req, res, h) "
    "ON CONFLICT (tenant, hash) DO NOTHING RETURNING hash, id"
)
_REQUEST = json.dumps({"method": "POST", "path": "/orders/1", "headers": {"Accept": "application/json"},
                       "body": {"sku": "SKU-1", "note": "x" * 200}})  # fmt: skip
_RESPONSE = json.dumps({"status": 200, "body": {"id": 1, "lines": [{"sku": "SKU-1", "note": "y" * 200}] * 3}})
HOT_MODES = ("owner_without_audit", "owner_with_audit", "application_role")


async def hot_insert_figures(results: dict[str, Any], rounds: int, log: Callable[[str], None]) -> None:
    with accord_server(workers=1) as server:
        owner = await server.connect()
        app = await asyncpg.connect(server.database_url.replace("postgres:@", "accord_app@", 1))
        try:
            tenant = await owner.fetchval(
                "INSERT INTO tenant (id, slug, name) VALUES (gen_random_uuid(), 'hot', 'h') RETURNING id"
            )
            service = await owner.fetchval(
                "INSERT INTO service (id, tenant, name) VALUES (gen_random_uuid(), $1, 'c') RETURNING id", tenant
            )
            version = await owner.fetchval(
                "INSERT INTO service_version (id, tenant, service, number) VALUES (gen_random_uuid(), $1, $2, '1') "
                "RETURNING id",
                tenant,
                service,
            )
            timings: dict[str, list[float]] = {mode: [] for mode in HOT_MODES}
            log(f"the ingest's INSERT of 1,000 interactions, {rounds} rounds of {', '.join(HOT_MODES)}")
            for _ in range(rounds):
                for mode in HOT_MODES:
                    switch = "DISABLE" if mode == "owner_without_audit" else "ENABLE"
                    await owner.execute(f"ALTER TABLE interaction {switch} TRIGGER interaction_audit_insert")
                    connection = app if mode == "application_role" else owner
                    hashes = [uuid.uuid4().hex for _ in range(1000)]
                    async with connection.transaction():
                        await connection.execute("SELECT set_config('accord.tenant', $1, true)", str(tenant))
                        started = time.perf_counter()
                        await connection.fetch(
                            _HOT_INSERT, tenant, service, version, [_REQUEST] * 1000, [_RESPONSE] * 1000, hashes
                        )
                        timings[mode].append((time.perf_counter() - started) * 1000)
        finally:
            await app.close()
            await owner.close()
    warm = {mode: values[3:] for mode, values in timings.items()}  # the first rounds warm caches
    baseline = statistics.median(warm["owner_without_audit"])
    results["row_security_hot_insert"] = {
        mode: {"p50_ms": statistics.median(values), "ratio": statistics.median(values) / baseline}
        for mode, values in warm.items()
    } | {"rounds": rounds}
