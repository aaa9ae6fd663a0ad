"""Ingest at the batch sizes consumer CI really sends (`python -m bench ingest_batches`).

A realistic workload: 60 services, CI runs that each record one consumer version's interactions (~500-byte
JSON bodies, with three to five providers), four runs at once, each run's batches sent in order. The same
interactions go in batches of 10, 100 and 1,000, each series into its own tenant, beside a raw COPY of as many
rows. A separate figure times the 1st and the 50th batch of single runs of 50 batches of 10: the cost of a
batch must not grow with what its consumer version already recorded.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass
from typing import Any

import httpx
import msgspec

from bench.ingest import run_copy_baseline
from bench.server import BenchServer, reset_statement_counts, statement_count

SERVICES = 60
INTERACTIONS = 20_000
CLIENTS = 4
BATCH_SIZES = (10, 100, 1000)
LONG_RUN_BATCHES = 50
LONG_RUNS = 6


def _body(rng: random.Random, index: int) -> dict[str, Any]:
    """About 500 bytes of JSON."""
    return {
        "id": index,
        "status": rng.choice(["open", "paid", "shipped"]),
        "customer": {"id": f"c-{rng.randrange(10_000)}", "name": "Ada Lovelace", "tier": "gold"},
        "lines": [
            {"sku": f"SKU-{rng.randrange(100_000)}", "quantity": rng.randrange(1, 9), "price": rng.randrange(100, 9999)}
            for _ in range(5)
        ],
        "note": "x" * rng.randrange(40, 80),
    }


def run_items(run: int, size: int, tag: str) -> list[dict[str, Any]]:
    """One CI run: consumer version `tag.run` of one service, calling three to five others."""
    rng = random.Random(f"{tag}/{run}")
    consumer = run % SERVICES
    providers = rng.sample([s for s in range(SERVICES) if s != consumer], rng.randrange(3, 6))
    items = []
    for index in range(size):
        provider = providers[index % len(providers)]
        items.append(
            {
                "consumer": f"svc-{consumer:02d}",
                "consumer_version": f"{tag}.{run}",
                "consumer_branch": "main",
                "provider": f"svc-{provider:02d}",
                "request": {
                    "method": "GET" if index % 3 else "POST",
                    "path": f"/orders/{run}-{index}",
                    "headers": {"Accept": "application/json"},
                    "body": None if index % 3 else _body(rng, index),
                },
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": _body(rng, index),
                },
                "duration_ms": index % 50,
            }
        )
    return items


@dataclass
class SeriesResult:
    batch_size: int
    per_second: float
    p50_ms: float
    p99_ms: float
    statements_per_batch: float


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _send(http: httpx.AsyncClient, url: str, headers: dict[str, str], items: list[dict[str, Any]]) -> float:
    body = msgspec.json.encode({"items": items})
    started = time.perf_counter()
    response = await http.post(url, content=body, headers=headers)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


async def run_series(server: BenchServer, key: str, *, batch_size: int, tag: str) -> SeriesResult:
    """INTERACTIONS interactions in CI runs of max(100, batch size), CLIENTS runs at once, batches in order."""
    run_size = max(100, batch_size)
    runs = [run_items(run, run_size, tag) for run in range(INTERACTIONS // run_size)]
    url = f"{server.base_url}/api/interactions/batch"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    latencies: list[float] = []
    queue = list(reversed(runs))

    async def client_loop(http: httpx.AsyncClient) -> None:
        while queue:
            items = queue.pop()
            for start in range(0, len(items), batch_size):
                latencies.append(await _send(http, url, headers, items[start : start + batch_size]))

    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=CLIENTS)) as http:
        await _send(http, url, headers, run_items(0, 10, f"warm-{tag}"))
        await reset_statement_counts(server)
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(http) for _ in range(CLIENTS)))
        seconds = time.perf_counter() - started
    statements = await statement_count(server)
    return SeriesResult(
        batch_size=batch_size,
        per_second=INTERACTIONS / seconds,
        p50_ms=statistics.median(latencies),
        p99_ms=_percentile(latencies, 0.99),
        statements_per_batch=statements / len(latencies),
    )


async def first_versus_fiftieth(server: BenchServer, key: str, *, tag: str) -> dict[str, float]:
    """Median latency of the 1st and of the 50th batch of 10 over LONG_RUNS runs sent one batch at a time
    (one client: nothing else competes, so the difference is what the consumer version's history costs)."""
    url = f"{server.base_url}/api/interactions/batch"
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    by_position: list[list[float]] = [[] for _ in range(LONG_RUN_BATCHES)]
    async with httpx.AsyncClient(timeout=120) as http:
        await _send(http, url, headers, run_items(0, 10, f"warm-{tag}"))
        for run in range(LONG_RUNS):
            items = run_items(run, LONG_RUN_BATCHES * 10, tag)
            for position in range(LONG_RUN_BATCHES):
                batch = items[position * 10 : position * 10 + 10]
                by_position[position].append(await _send(http, url, headers, batch))
    first = statistics.median(by_position[0])
    last = statistics.median(by_position[-1])
    middle = statistics.median(value for values in by_position[1:-1] for value in values)
    return {"first_ms": first, "fiftieth_ms": last, "others_ms": middle, "ratio": last / first}


async def wait_for_after_work(server: BenchServer) -> dict[str, float]:
    """Wait until no request vector waits for the indexer and no contract for the settler; how many of each there
    were and how long it took."""
    waiting_sql = "SELECT count(*) FROM request_vector WHERE NOT indexed"
    pending_sql = "SELECT count(*) FROM pending_contract"
    connection = await server.connect()
    try:
        waiting, pending = int(await connection.fetchval(waiting_sql)), int(await connection.fetchval(pending_sql))
        started = time.perf_counter()
        left_sql = f"SELECT ({waiting_sql}) + ({pending_sql})"
        # Polling the database: there is no event to wait on.
        while await connection.fetchval(left_sql):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        seconds = time.perf_counter() - started
    finally:
        await connection.close()
    return {"waiting": waiting, "pending_contracts": pending, "seconds": seconds}


async def batch_size_figures(server: BenchServer, *, runs: int) -> dict[str, Any]:
    """Each series is one burst of CI traffic. Two background tasks work after a burst: the vector indexer puts its
    vectors into the HNSW graph (accord.similarity.indexer) and the contract settler derives its contracts
    (accord.contracts.settler). Each series starts once the previous one's are done, and that catch-up is reported
    beside it: without the wait, a series would share the CPU with the previous series' after-work."""
    series: dict[str, dict[str, list[float]]] = {}
    copies: list[float] = []
    for run in range(runs):
        for size in BATCH_SIZES:
            key = server.keys.get(f"b{size}") or server.tenant(f"b{size}")
            result = await run_series(server, key, batch_size=size, tag=f"r{run}")
            catch_up = await wait_for_after_work(server)
            figures = series.setdefault(
                str(size),
                {
                    "per_second": [],
                    "p50_ms": [],
                    "p99_ms": [],
                    "statements": [],
                    "indexed": [],
                    "settled": [],
                    "index_seconds": [],
                },
            )
            figures["per_second"].append(result.per_second)
            figures["p50_ms"].append(result.p50_ms)
            figures["p99_ms"].append(result.p99_ms)
            figures["statements"].append(result.statements_per_batch)
            figures["indexed"].append(catch_up["waiting"])
            figures["settled"].append(catch_up["pending_contracts"])
            figures["index_seconds"].append(catch_up["seconds"])
        copies.append(await run_copy_baseline(server, rows=INTERACTIONS))
    key = server.keys.get("long") or server.tenant("long")
    long_runs = [await first_versus_fiftieth(server, key, tag=f"l{run}") for run in range(runs)]
    return {"series": series, "copy_rows_per_second": copies, "first_versus_fiftieth": long_runs}
