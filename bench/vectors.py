"""pgvector figures: k-NN latency and recall@10 on the large history, the mock's latency, ingest beside COPY.

`python -m bench vectors` runs this part alone (a few minutes): it builds the large demo history (200,000
interactions, vectors included), then measures
- k-NN: `POST /api/interactions/search` (k=10) p50/p99 over HTTP, one connection;
- recall@10 of the HNSW scan the API runs against an exact scan (`SET LOCAL enable_indexscan = off`), on the
  same queries. The demo history repeats few distinct requests, so most distances tie: a returned row counts
  as a hit when its exact distance is within the 10th exact distance (tie-aware recall, the usual definition
  when neighbours tie); the id-based overlap is reported beside it;
- the mock: p50/p99 of a fixture hit, a similar-fixture hit and a schema-generated answer;
- ingest over HTTP beside a raw COPY of the same rows into the same table (vector key column, request vectors
  and their HNSW index in place), with the figure main measured before the column for comparison.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from typing import Any

import httpx

from accord.embeddings.hashing import embed_request, vector_literal
from bench.ingest import run_copy_baseline, run_ingest
from bench.server import BenchServer, accord_server

QUERIES = 200
DIVERSE = 30_000
LATENCY_REQUESTS = 300
K = 10
# BENCHMARKS.md on main before the embedding column (2026-11-22): ingest 18,001/s beside COPY 28,840 rows/s.
INGEST_RATIO_BEFORE = 0.62

MOCK_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "items", "version": "1"},
    "paths": {
        "/items/{id}": {
            "get": {
                "operationId": "getItem",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "an item",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            }
        },
        "/items": {
            "get": {
                "operationId": "listItems",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "items",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Item"}}
                            }
                        },
                    }
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "revision": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            }
        }
    },
}


WORDS = [
    f"{a}{b}" for a in ("order", "item", "user", "cart", "invoice", "ship", "review", "price") for b in ("s", "x", "s2")
]


def _diverse_request(rng: random.Random) -> tuple[str, dict[str, Any]]:
    """A request of one of many shapes with varied values: a corpus whose vectors are nearly all distinct."""
    resource, sub = rng.choice(WORDS), rng.choice(WORDS)
    method = rng.choice(("GET", "GET", "POST", "PUT", "DELETE"))
    path = f"/{resource}/{rng.randrange(10_000)}" + (f"/{sub}" if rng.random() < 0.5 else "")
    query = {rng.choice(WORDS): [str(rng.randrange(100))] for _ in range(rng.randrange(3))}
    body = (
        {
            rng.choice(WORDS): rng.choice((rng.randrange(1000), rng.choice(WORDS), True))
            for _ in range(rng.randrange(1, 6))
        }
        if method in ("POST", "PUT")
        else None
    )
    return f"{method} /{resource}", {"method": method, "path": path, "query": query, "body": body}


async def _diverse_corpus(server: BenchServer, key: str, rng: random.Random, size: int) -> None:
    """`size` interactions with (nearly) distinct requests, ingested through the API."""
    async with httpx.AsyncClient(
        base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=120
    ) as http:
        for start in range(0, size, 1000):
            items = []
            for index in range(start, min(size, start + 1000)):
                operation, request = _diverse_request(rng)
                items.append(
                    {
                        "consumer": f"consumer-{index % 7}",
                        "consumer_version": "1.0.0",
                        "provider": f"provider-{index % 5}",
                        "operation": operation,
                        "request": {**request, "headers": {"Accept": "application/json"}},
                        "response": {"status": 200, "body": {"n": index}},
                    }
                )
            (await http.post("/api/interactions/batch", json={"items": items})).raise_for_status()


async def wait_for_indexer(server: BenchServer) -> dict[str, float]:
    """Wait until the background indexer has put every waiting request vector into the HNSW index; how many
    were waiting and how fast it went (vectors/s, while nothing else loads the server)."""
    connection = await server.connect()
    try:
        waiting = int(await connection.fetchval("SELECT count(*) FROM request_vector WHERE NOT indexed"))
        started = time.perf_counter()
        left = waiting
        while left:  # polling the database: there is no event to wait on
            await asyncio.sleep(0.1)
            left = int(await connection.fetchval("SELECT count(*) FROM request_vector WHERE NOT indexed"))
        seconds = time.perf_counter() - started
    finally:
        await connection.close()
    return {"waiting": waiting, "seconds": seconds, "per_second": waiting / seconds if seconds else 0.0}


async def knn_at_the_cap(server: BenchServer, key: str, samples: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """k-NN over HTTP on the diverse tenant with as many of its vectors waiting as the backlog cap allows: the
    search then scans them exactly beside the graph. The bench holds the rows (FOR UPDATE) so the indexer, which
    skips locked rows, can't index them meanwhile; afterwards it indexes them again (waited for)."""
    from accord.similarity.indexer import WAITING_VECTORS_CAP

    connection = await server.connect()
    try:
        tenant = await connection.fetchval("SELECT id FROM tenant WHERE slug = 'diverse'")
        await connection.execute(
            "UPDATE request_vector SET indexed = false WHERE id IN ("
            "  SELECT id FROM request_vector WHERE tenant = $1 AND indexed LIMIT $2)",
            tenant,
            WAITING_VECTORS_CAP,
        )
        async with connection.transaction():
            held = len(
                await connection.fetch(
                    "SELECT id FROM request_vector WHERE tenant = $1 AND NOT indexed FOR UPDATE", tenant
                )
            )
            latency = await asyncio.to_thread(_search_latency, server, key, samples)
    finally:
        await connection.close()
    await wait_for_indexer(server)
    return {"waiting": held, "cap": WAITING_VECTORS_CAP, **latency}


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
    }


def _sample_requests(rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    """(operation, request) samples: the history's shapes with values it has and hasn't, and other shapes."""
    samples: list[tuple[str, dict[str, Any]]] = []
    for _ in range(QUERIES):
        kind = rng.randrange(4)
        if kind == 0:
            samples.append(("getItem", {"method": "GET", "path": f"/items/{rng.randrange(1, 300)}"}))
        elif kind == 1:
            samples.append(
                ("listItems", {"method": "GET", "path": "/items", "query": {"page": [str(rng.randrange(1, 30))]}})
            )
        elif kind == 2:
            body = {"name": f"item {rng.randrange(1000)}", "tags": ["a", "b"][: rng.randrange(3)]}
            samples.append(("createItem", {"method": "POST", "path": "/items", "body": body}))
        else:
            samples.append(("", {"method": "GET", "path": f"/items/{rng.randrange(1, 100)}/reviews"}))
    return samples


async def _recall(server: BenchServer, tenant_slug: str, samples: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    # Imported here: the other parts of the bench also run against other branches' code (PYTHONPATH), which may
    # not have it.
    from accord.similarity.repository import nearest_vectors

    connection = await server.connect()
    try:
        tenant = await connection.fetchval("SELECT id FROM tenant WHERE slug = $1", tenant_slug)
        # What the API runs (accord.similarity.repository): the HNSW scan over the distinct request vectors,
        # expanded to their interactions.
        approx_query = (
            f"WITH nv AS MATERIALIZED ({nearest_vectors('$2::text::vector', 'rv.tenant = $1', '$3 + 1')}) "  # noqa: S608
            "SELECT i.id, nv.distance FROM nv CROSS JOIN LATERAL (SELECT i.id FROM interaction i "
            "  WHERE i.tenant = $1 AND i.vector_key = nv.key ORDER BY i.id LIMIT $3) i "
            "ORDER BY nv.distance, i.id LIMIT $3"
        )
        # Every interaction with its vector's exact distance.
        exact_query = (
            "SELECT i.id, rv.embedding <=> $2::text::vector AS distance FROM interaction i JOIN request_vector rv "
            "  ON rv.tenant = i.tenant AND rv.key = i.vector_key "
            "WHERE i.tenant = $1 ORDER BY distance, i.id LIMIT $3"
        )
        tie_aware: list[float] = []
        by_id: list[float] = []
        approx_ms: list[float] = []
        for operation, request in samples:
            vector = vector_literal(embed_request(operation, {"headers": {"accept": "application/json"}, **request}))
            async with connection.transaction():
                # As the API scans (accord.similarity.repository.tune_index_scan).
                await connection.execute("SET LOCAL hnsw.ef_search = 100")
                await connection.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
                started = time.perf_counter()
                approx = await connection.fetch(approx_query, tenant, vector, K)
                approx_ms.append((time.perf_counter() - started) * 1000)
            async with connection.transaction():
                await connection.execute("SET LOCAL enable_indexscan = off")
                exact = await connection.fetch(exact_query, tenant, vector, K)
            kth = exact[-1]["distance"] if exact else 0.0
            hits = sum(1 for row in approx if row["distance"] <= kth + 1e-9)  # distances computed exactly
            tie_aware.append(hits / len(exact) if exact else 1.0)
            overlap = {row["id"] for row in approx} & {row["id"] for row in exact}
            by_id.append(len(overlap) / len(exact) if exact else 1.0)
        plan = await connection.fetch("EXPLAIN " + approx_query, tenant, vector_literal([1] * 256), K)
        return {
            "recall_at_10": statistics.mean(tie_aware),
            "recall_at_10_min": min(tie_aware),
            "id_overlap_at_10": statistics.mean(by_id),
            "sql_p50_ms": statistics.median(approx_ms),
            "uses_hnsw_index": any("request_vector_embedding_hnsw" in row[0] for row in plan),
        }
    finally:
        await connection.close()


def _search_latency(server: BenchServer, key: str, samples: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    timings: list[float] = []
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for index in range(LATENCY_REQUESTS + 20):
            _, request = samples[index % len(samples)]
            started = time.perf_counter()
            response = client.post("/api/interactions/search", json={"request": request, "k": K})
            elapsed = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if index >= 20:  # warm-up
                timings.append(elapsed)
    return _percentiles(timings)


def _mock_latency(server: BenchServer, key: str) -> dict[str, dict[str, float]]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30) as api:
        api.post(
            "/api/services/provider-001/versions/9.0.0/spec",
            content=json.dumps(MOCK_SPEC),
            headers={"Content-Type": "application/json"},
        ).raise_for_status()
        fixture = api.post(
            "/api/fixtures",
            json={
                "provider": "provider-001",
                "provider_version": "9.0.0",
                "operation": "getItem",
                "request": {"method": "GET", "path": "/items/1"},
                "response": {"status": 200, "body": {"id": 1, "name": "one"}},
            },
        )
        fixture.raise_for_status()
        api.post(f"/api/fixtures/{fixture.json()['id']}/approve").raise_for_status()
        figures: dict[str, dict[str, float]] = {}
        # The demo history recorded /items?page=1 with provider-001; nobody recorded page 999.
        answers = (
            ("fixture", "/items/1"),
            ("similar-fixture", "/items/2"),
            ("recorded", "/items?page=1"),
            ("schema", "/items?page=999"),
        )
        for source, path in answers:
            timings: list[float] = []
            for index in range(LATENCY_REQUESTS + 20):
                started = time.perf_counter()
                response = api.get(f"/mock/provider-001/9.0.0{path}")
                elapsed = (time.perf_counter() - started) * 1000
                assert response.headers.get("Accord-Mock-Source") == source, (path, response.text)
                if index >= 20:
                    timings.append(elapsed)
            figures[source] = _percentiles(timings)
        return figures


async def vector_figures(results: dict[str, Any], log: Any, runs: int) -> None:
    rng = random.Random(12)
    samples = _sample_requests(rng)
    with accord_server(workers=2) as server:
        key = server.tenant("vectors")
        log("vectors: generating the large history (200,000 interactions with vectors)")
        started = time.monotonic()
        server.accord("demo", "--size", "large", "--tenant", "vectors")
        figures: dict[str, Any] = {"history_seconds": time.monotonic() - started}
        log("vectors: recall@10 against an exact scan")
        figures.update(await _recall(server, "vectors", samples))
        log(f"vectors: {figures}")
        log(f"vectors: a corpus of {DIVERSE:,} distinct requests, and recall@10 on it")
        diverse_key = server.tenant("diverse")
        await _diverse_corpus(server, diverse_key, rng, DIVERSE)
        figures["indexer"] = await wait_for_indexer(server)
        log(f"vectors: indexer {figures['indexer']}")
        diverse = await _recall(server, "diverse", [_diverse_request(rng) for _ in range(QUERIES)])
        figures["diverse"] = diverse
        log(f"vectors: diverse {diverse}")
        diverse_samples = [_diverse_request(rng) for _ in range(QUERIES)]
        log("vectors: k-NN latency on the diverse tenant, every vector in the graph, then with the cap waiting")
        figures["diverse_search"] = _search_latency(server, diverse_key, diverse_samples)
        figures["diverse_search_at_cap"] = await knn_at_the_cap(server, diverse_key, diverse_samples)
        log(f"vectors: {figures['diverse_search']} / at the cap {figures['diverse_search_at_cap']}")
        log("vectors: k-NN search latency over HTTP")
        figures["search"] = _search_latency(server, key, samples)
        log(f"vectors: search {figures['search']}")
        log("vectors: mock latency")
        figures["mock"] = _mock_latency(server, key)
        log(f"vectors: mock {figures['mock']}")
        log("vectors: ingest over HTTP beside raw COPY (large history in the index)")
        ingest_key = server.tenant("ingest")
        ingests, copies = [], []
        for run in range(runs):
            ingests.append((await run_ingest(server, ingest_key, run=run)).per_second)
            copies.append(await run_copy_baseline(server, rows=20_000))
        figures["ingest_per_second"] = statistics.median(ingests)
        figures["copy_rows_per_second"] = statistics.median(copies)
        figures["ingest_ratio_after"] = statistics.median(i / c for i, c in zip(ingests, copies, strict=True))
        figures["ingest_ratio_before"] = INGEST_RATIO_BEFORE
        connection = await server.connect()
        try:
            figures["interactions"] = await connection.fetchval(
                "SELECT count(*) FROM interaction i JOIN tenant t ON t.id = i.tenant WHERE t.slug = 'vectors'"
            )
            figures["distinct_vectors"] = await connection.fetchval(
                "SELECT count(*) FROM request_vector v JOIN tenant t ON t.id = v.tenant WHERE t.slug = 'vectors'"
            )
            figures["diverse_vectors"] = await connection.fetchval(
                "SELECT count(*) FROM request_vector v JOIN tenant t ON t.id = v.tenant WHERE t.slug = 'diverse'"
            )
        finally:
            await connection.close()
    results["vectors"] = figures


def render_vectors(figures: dict[str, Any], command: str) -> str:
    search, mock, diverse = figures["search"], figures["mock"], figures["diverse"]
    lines = [
        "## pgvector: similarity search and the mock",
        "",
        f"Produced by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} (2 workers; history of "
        f"{figures['interactions']:,} interactions, {figures['distinct_vectors']:,} distinct request vectors, built in "
        f"{figures['history_seconds']:.0f} s).",
        "",
        "| figure | value | limit / target |",
        "|---|---|---|",
        f"| k-NN `POST /api/interactions/search` k=10 p50 / p99 (HTTP, 1 connection) | {search['p50_ms']:.2f} ms / "
        f"{search['p99_ms']:.2f} ms | p99 < 20 ms: {'meets' if search['p99_ms'] < 20 else 'MISSES'} |",
        f"| recall@10, HNSW scan vs exact scan, {QUERIES} queries (tie-aware; min) | {figures['recall_at_10']:.3f} "
        f"(min {figures['recall_at_10_min']:.2f}) | ≥ 0.95: {'meets' if figures['recall_at_10'] >= 0.95 else 'MISSES'}"
        f"; id overlap {figures['id_overlap_at_10']:.3f}; index used: {figures['uses_hnsw_index']} |",
        f"| k-NN SQL alone p50 | {figures['sql_p50_ms']:.2f} ms | - |",
        f"| recall@10 on {figures['diverse_vectors']:,} distinct request vectors ({DIVERSE:,} varied interactions), "
        f"{QUERIES} new queries | {diverse['recall_at_10']:.3f} (min {diverse['recall_at_10_min']:.2f}) "
        f"| ≥ 0.95: {'meets' if figures['diverse']['recall_at_10'] >= 0.95 else 'MISSES'}; SQL p50 "
        f"{figures['diverse']['sql_p50_ms']:.2f} ms; index used: {figures['diverse']['uses_hnsw_index']} |",
        "| k-NN `POST /api/interactions/search` k=10 on those vectors p50 / p99 (HTTP), all in the graph | "
        f"{figures['diverse_search']['p50_ms']:.2f} ms / {figures['diverse_search']['p99_ms']:.2f} ms | p99 < 20 ms: "
        f"{'meets' if figures['diverse_search']['p99_ms'] < 20 else 'MISSES'} |",
        f"| … with {figures['diverse_search_at_cap']['waiting']:,} of them waiting for the indexer (the backlog cap, "
        f"{figures['diverse_search_at_cap']['cap']:,}: scanned exactly beside the graph) | "
        f"{figures['diverse_search_at_cap']['p50_ms']:.2f} ms / {figures['diverse_search_at_cap']['p99_ms']:.2f} ms "
        f"| p99 < 20 ms: {'meets' if figures['diverse_search_at_cap']['p99_ms'] < 20 else 'MISSES'} |",
        "| background vector indexer: request vectors ingest left waiting, put into the HNSW index (server idle) | "
        f"{figures['indexer']['waiting']:,} in {figures['indexer']['seconds']:.1f} s "
        f"({figures['indexer']['per_second']:,.0f}/s) | - |",
    ]
    for source in ("fixture", "similar-fixture", "recorded", "schema"):
        verdict = "meets" if mock[source]["p50_ms"] < 5 else "MISSES"
        lines.append(
            f"| mock answer from `{source}` p50 / p99 (HTTP, 1 connection) | {mock[source]['p50_ms']:.2f} ms / "
            f"{mock[source]['p99_ms']:.2f} ms | p50 < 5 ms: {verdict} |"
        )
    lines.append(
        "| ingest / raw COPY, after the embedding column (index holding the history's vectors) | "
        f"{figures['ingest_ratio_after']:.2f} ({figures['ingest_per_second']:,.0f}/s vs "
        f"{figures['copy_rows_per_second']:,.0f} rows/s) | ≥ 0.5: "
        f"{'meets' if figures['ingest_ratio_after'] >= 0.5 else 'MISSES'}; before the column: "
        f"{figures['ingest_ratio_before']:.2f} (main's BENCHMARKS.md, 2026-11-22) |"
    )
    return "\n".join(lines) + "\n"
