"""Ingest: interactions/s through POST /api/interactions/batch over HTTP, beside a raw COPY of the same rows."""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from dataclasses import dataclass

import httpx
import msgspec

from bench.server import BenchServer, reset_statement_counts, statement_count

VOLATILE_HEADERS = {"Date": "Sun, 22 Nov 2026 10:00:00 GMT", "User-Agent": "bench/1.0", "Content-Length": "64"}


def _item(run: int, client: int, batch: int, index: int) -> dict[str, object]:
    return {
        "consumer": f"consumer-{client % 5}",
        "consumer_version": f"{run}.{client}.{batch}",
        "provider": f"provider-{index % 10}",
        "request": {
            "method": "GET" if index % 3 else "POST",
            "path": f"/orders/{index}",
            "query": {"expand": ["lines"], "page": str(index % 7)},
            "headers": {"Accept": "application/json", **VOLATILE_HEADERS},
            "body": None if index % 3 else {"sku": f"SKU-{index}", "quantity": index % 5 + 1},
        },
        "response": {
            "status": 200,
            "headers": {"Content-Type": "application/json", **VOLATILE_HEADERS},
            "body": {"id": index, "status": "open", "total": index * 1.5, "lines": [{"sku": f"SKU-{index}"}]},
        },
        "duration_ms": index % 50,
    }


@dataclass
class IngestResult:
    interactions: int
    seconds: float
    per_second: float
    statements_per_batch: float
    client_cpu_share: float
    batch_size: int
    clients: int


async def run_ingest(
    server: BenchServer, key: str, *, run: int, clients: int = 4, batches_per_client: int = 10, batch_size: int = 1000
) -> IngestResult:
    bodies = [
        [
            msgspec.json.encode({"items": [_item(run, c, b, i) for i in range(batch_size)]})
            for b in range(batches_per_client)
        ]
        for c in range(clients)
    ]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    await reset_statement_counts(server)
    recorded = 0

    async def client_loop(client: httpx.AsyncClient, mine: list[bytes]) -> None:
        nonlocal recorded
        for body in mine:
            response = await client.post(f"{server.base_url}/api/interactions/batch", content=body, headers=headers)
            response.raise_for_status()
            recorded += int(response.json()["recorded"])

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=clients)) as http:
        # One warm-up batch outside the clock (first-request costs: pool, caches).
        warm = msgspec.json.encode({"items": [_item(run + 1000, 0, 0, i) for i in range(10)]})
        (await http.post(f"{server.base_url}/api/interactions/batch", content=warm, headers=headers)).raise_for_status()
        await reset_statement_counts(server)
        cpu_before, started = time.process_time(), time.perf_counter()
        await asyncio.gather(*(client_loop(http, bodies[c]) for c in range(clients)))
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu_before
    statements = await statement_count(server)
    batches = clients * batches_per_client
    return IngestResult(
        interactions=recorded,
        seconds=seconds,
        per_second=recorded / seconds,
        statements_per_batch=statements / batches,
        client_cpu_share=cpu / seconds,
        batch_size=batch_size,
        clients=clients,
    )


async def run_copy_baseline(server: BenchServer, *, rows: int) -> float:
    """Rows/s of a raw asyncpg COPY of interaction-shaped rows into the same table (the machine's limit)."""
    connection = await server.connect()
    try:
        ids = await connection.fetchrow(
            "SELECT i.tenant, i.consumer, i.consumer_version, i.provider, i.request, i.response "
            "FROM interaction i LIMIT 1"
        )
        records = []
        for index in range(rows):
            digest = hashlib.sha256(f"copy-{index}-{uuid.uuid4()}".encode()).hexdigest()
            records.append(
                (
                    uuid.uuid4(),
                    ids["tenant"],
                    ids["consumer"],
                    ids["consumer_version"],
                    ids["provider"],
                    "GET /orders/{id}",
                    ids["request"],
                    ids["response"],
                    digest,
                    digest,
                )
            )
        columns = [
            "id", "tenant", "consumer", "consumer_version", "provider", "operation", "request", "response", "hash",
            "content_hash",
        ]  # fmt: skip
        started = time.perf_counter()
        await connection.copy_records_to_table("interaction", records=records, columns=columns)
        return rows / (time.perf_counter() - started)
    finally:
        await connection.close()
