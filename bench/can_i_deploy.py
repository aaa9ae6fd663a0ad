"""can-i-deploy latency and SQL statements per request, for a history of a given size."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import httpx

from bench.history import build_history
from bench.server import bench_server, reset_statement_counts, statement_count


@dataclass
class CanIDeployResult:
    versions: int
    p50_ms: float
    p99_ms: float
    statements_per_request: float
    deployable_answers: dict[str, int]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def measure_can_i_deploy(*, services_per_side: int, versions_per_service: int, requests: int) -> CanIDeployResult:
    with bench_server() as server:
        counts = await build_history(
            server, services_per_side=services_per_side, versions_per_service=versions_per_service
        )
        headers = {"Authorization": f"Bearer {server.api_key}"}
        # Both directions: a consumer's newest version and a provider's newest version, to production.
        queries = [
            {"service": f"{side}-{n}", "version": str(versions_per_service), "environment": "production"}
            for side in ("consumer", "provider")
            for n in range(1, services_per_side + 1)
        ]
        answers: dict[str, int] = {}
        latencies: list[float] = []
        async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as client:
            for query in queries:  # warm-up
                (await client.get("/api/can-i-deploy", params=query)).raise_for_status()
            await reset_statement_counts(server)
            for index in range(requests):
                started = time.perf_counter()
                response = await client.get("/api/can-i-deploy", params=queries[index % len(queries)])
                latencies.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                key = str(response.json()["deployable"])
                answers[key] = answers.get(key, 0) + 1
        statements = await statement_count(server)
    return CanIDeployResult(
        versions=int(counts["versions"]),
        p50_ms=statistics.median(latencies),
        p99_ms=_percentile(latencies, 0.99),
        statements_per_request=statements / requests,
        deployable_answers=answers,
    )
