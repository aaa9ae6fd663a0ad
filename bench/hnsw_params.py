"""HNSW build parameters and the exact scan of waiting vectors, on request vectors of the CI ingest workload
(`python -m bench hnsw_params`; a few minutes, its own embedded PostgreSQL in a temporary directory).

For each index variant (column type, m, ef_construction): the time to build it over BASE vectors, the time to add
INSERTED more with the index in place (what the background indexer pays per vector), recall@10 of the HNSW scan
against an exact scan (ef_search 100, as the API searches) and its p50/p99 on QUERIES queries. Then the exact
top-10 scan of vectors waiting for the indexer (what every search adds), at backlogs of 2,500 to 20,000. The
vectors are those ingest stores for the workload of `bench ingest_batches` (every one distinct), queries are
requests of other CI runs of it.
"""

# ruff: noqa: S608 - the SQL here is formatted with this module's constants only (column types, K).
from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from accord.embeddings.hashing import embedded_request
from accord.exchanges.normalize import default_operation
from bench.ci_ingest import run_items

BASE = 20_000
INSERTED = 1_000
QUERIES = 200
K = 10
BACKLOGS = (2_500, 5_000, 10_000, 20_000, 40_000)
VARIANTS = (
    ("vector", 16, 64),  # pgvector's defaults: what request_vector had
    ("vector", 16, 32),
    ("vector", 12, 48),
    ("vector", 8, 64),
    ("vector", 8, 32),
    ("halfvec", 16, 64),
    ("halfvec", 16, 32),
    ("halfvec", 8, 32),
)


def _vectors(runs: range, tag: str) -> list[str]:
    """The distinct request vectors (text form) ingest stores for these CI runs of the workload."""
    seen: dict[str, str] = {}
    for run in runs:
        for item in run_items(run, 100, tag):
            request = item["request"]
            body = {k: v for k, v in request.items() if v is not None}
            literal, key = embedded_request(
                default_operation(request["method"], request["path"]), msgspec.json.encode(body).decode()
            )
            seen[key] = literal
    return list(seen.values())


def _diverse(count: int, seed: int) -> list[str]:
    """Distinct vectors of `bench vectors`' varied corpus (many shapes, varied values): the recall corpus. The
    CI workload's requests differ by a path segment and an operation only, so their distances nearly all tie
    and recall on them measures tie-breaking, not the graph."""
    import random

    from accord.embeddings.hashing import embed_request, vector_key, vector_literal
    from bench.vectors import _diverse_request

    rng = random.Random(seed)
    seen: dict[str, str] = {}
    while len(seen) < count:
        operation, request = _diverse_request(rng)
        literal = vector_literal(embed_request(operation, request))
        seen[vector_key(literal)] = literal
    return list(seen.values())


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _variant(
    conn: asyncpg.Connection, kind: str, m: int, ef: int, base: list[str], more: list[str], queries: list[str]
) -> dict[str, Any]:
    await conn.execute("DROP TABLE IF EXISTS hv")
    await conn.execute(f"CREATE TABLE hv (id bigserial PRIMARY KEY, embedding {kind}(256) NOT NULL)")
    await conn.execute(f"INSERT INTO hv (embedding) SELECT e::{kind} FROM unnest($1::text[]) e", base)
    await conn.execute("VACUUM ANALYZE hv")
    started = time.perf_counter()
    await conn.execute(
        f"CREATE INDEX hv_hnsw ON hv USING hnsw (embedding {kind}_cosine_ops) WITH (m = {m}, ef_construction = {ef})"
    )
    build = time.perf_counter() - started
    started = time.perf_counter()
    for start in range(0, len(more), 64):  # as the indexer does: 64 a transaction
        await conn.execute(
            f"INSERT INTO hv (embedding) SELECT e::{kind} FROM unnest($1::text[]) e", more[start : start + 64]
        )
    insert = time.perf_counter() - started
    size = await conn.fetchval("SELECT pg_relation_size('hv_hnsw')")
    recalls: list[float] = []
    timings: list[float] = []
    for query in queries:
        async with conn.transaction():
            await conn.execute("SET LOCAL hnsw.ef_search = 100")
            started = time.perf_counter()
            approx = await conn.fetch(
                f"SELECT embedding <=> $1::{kind} AS d FROM hv ORDER BY embedding <=> $1::{kind} LIMIT {K}", query
            )
            timings.append((time.perf_counter() - started) * 1000)
        async with conn.transaction():
            await conn.execute("SET LOCAL enable_indexscan = off")
            exact = await conn.fetch(
                f"SELECT embedding <=> $1::vector AS d FROM hv ORDER BY embedding <=> $1::{kind} LIMIT {K}", query
            )
        kth = exact[-1]["d"]
        # Tie-aware, as `bench vectors`: a returned row within the 10th exact distance is a hit.
        recalls.append(sum(1 for row in approx if row["d"] <= kth + 1e-6) / len(exact))
    return {
        "column": f"{kind}(256)",
        "m": m,
        "ef_construction": ef,
        "build_seconds": build,
        "insert_ms_per_vector": insert * 1000 / len(more),
        "index_mib": size / 2**20,
        "recall_at_10": statistics.mean(recalls),
        "recall_at_10_min": min(recalls),
        "knn_p50_ms": statistics.median(timings),
        "knn_p99_ms": _percentile(timings, 0.99),
    }


async def _waiting_scan(conn: asyncpg.Connection, kind: str, vectors: list[str], queries: list[str]) -> dict[str, Any]:
    """p50/p99 of the exact top-10 over a tenant's waiting vectors (the partial index on them picks the rows)."""
    figures: dict[str, Any] = {}
    await conn.execute("DROP TABLE IF EXISTS wv")
    await conn.execute(
        f"CREATE TABLE wv (id bigserial PRIMARY KEY, tenant uuid NOT NULL, indexed boolean NOT NULL, "
        f"embedding {kind}(256) NOT NULL)"
    )
    await conn.execute("CREATE INDEX wv_waiting ON wv (tenant) WHERE NOT indexed")
    tenant = uuid.uuid4()
    # Other tenants' and indexed rows around them, as in request_vector.
    await conn.execute(
        "INSERT INTO wv (tenant, indexed, embedding) "
        f"SELECT gen_random_uuid(), true, e::{kind} FROM unnest($1::text[]) e",
        vectors,
    )
    loaded = 0
    for backlog in BACKLOGS:
        await conn.execute(
            f"INSERT INTO wv (tenant, indexed, embedding) SELECT $1, false, e::{kind} FROM unnest($2::text[]) e",
            tenant,
            vectors[loaded:backlog],
        )
        loaded = backlog
        await conn.execute("VACUUM ANALYZE wv")
        timings: list[float] = []
        for query in queries:
            started = time.perf_counter()
            await conn.fetch(
                f"SELECT id, embedding <=> $2::{kind} AS d FROM wv WHERE tenant = $1 AND NOT indexed "
                f"ORDER BY embedding <=> $2::{kind} LIMIT {K}",
                tenant,
                query,
            )
            timings.append((time.perf_counter() - started) * 1000)
        figures[str(backlog)] = {"p50_ms": statistics.median(timings), "p99_ms": _percentile(timings, 0.99)}
    return figures


def _median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """Figure by figure, the median of the rounds (nested dicts too); other values from the first round."""
    merged: dict[str, Any] = {}
    for name, value in rounds[0].items():
        if isinstance(value, dict):
            merged[name] = _median_of([round_[name] for round_ in rounds])
        elif isinstance(value, float):
            merged[name] = statistics.median(round_[name] for round_ in rounds)
        else:
            merged[name] = value
    return merged


async def hnsw_parameter_figures(log: Any, runs: int) -> dict[str, Any]:
    """`runs` rounds, each over every variant in turn (the machine's load then weighs on all alike); medians."""
    from accord.db.embedded import start_embedded_postgres

    # Other runs of the workload than the base's: their paths (run-index) differ too.
    base = _vectors(range(BASE // 100), "base")[:BASE]
    more = _vectors(range(1000, 1000 + INSERTED // 100), "more")[:INSERTED]
    queries = _vectors(range(2000, 2000 + QUERIES // 100 + 1), "query")[:QUERIES]
    diverse = _diverse(BASE + INSERTED + QUERIES, seed=12)
    diverse_base, diverse_more = diverse[:BASE], diverse[BASE : BASE + INSERTED]
    diverse_queries = diverse[BASE + INSERTED :]
    backlog = base + _vectors(range(3000, 3200), "more")
    rounds: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="accord-hnsw-") as directory:
        server = start_embedded_postgres(Path(directory))
        conn = await asyncpg.connect(server.url)
        try:
            await conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            await conn.execute("SET maintenance_work_mem = '256MB'")
            for run in range(runs):
                for kind, m, ef in VARIANTS:
                    log(f"hnsw_params: round {run + 1}, {kind} m={m} ef_construction={ef}")
                    figures = await _variant(conn, kind, m, ef, diverse_base, diverse_more, diverse_queries)
                    workload = await _variant(conn, kind, m, ef, base, more, queries)
                    figures["ci_workload"] = {
                        name: workload[name] for name in ("build_seconds", "insert_ms_per_vector", "knn_p99_ms")
                    }
                    rounds.setdefault(f"{kind}/{m}/{ef}", []).append(figures)
                    log(f"hnsw_params: {figures}")
                for kind in ("vector", "halfvec"):
                    log(f"hnsw_params: round {run + 1}, exact scan of waiting vectors, {kind}")
                    rounds.setdefault(f"waiting/{kind}", []).append(await _waiting_scan(conn, kind, backlog, queries))
        finally:
            await conn.close()
            server.stop()
    return {
        "runs": runs,
        "variants": [_median_of(rounds[f"{kind}/{m}/{ef}"]) for kind, m, ef in VARIANTS],
        "waiting_scan": {kind: _median_of(rounds[f"waiting/{kind}"]) for kind in ("vector", "halfvec")},
    }
