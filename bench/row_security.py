"""What row-level security and the audit log cost (issue 14): the cheap read and the ingest, with both on (as
Accord runs) and both off (served as the tables' owner, which the policies do not restrict, with the audit
triggers disabled), alternating in one invocation so that both see the same machine load."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from typing import Any

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
