"""Pact publish latency: POST /contracts/publish of a 100-interaction pact, as `pact broker publish` sends it."""

from __future__ import annotations

import base64
import statistics
import time

import httpx
import msgspec

from bench.server import BenchServer


def _pact(run: int, build: int, interactions: int) -> dict[str, object]:
    return {
        "consumer": {"name": "pact-web"},
        "provider": {"name": "pact-api"},
        "interactions": [
            {
                "description": f"a request for item {index} (build {build})",
                "providerState": f"item {index} exists",
                "request": {"method": "GET", "path": f"/items/{index}", "headers": {"Accept": "application/json"}},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": index, "name": f"item {index}", "run": run, "tags": ["a", "b"]},
                    "matchingRules": {"$.body.name": {"match": "type"}},
                },
            }
            for index in range(interactions)
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def publish_latency(server: BenchServer, key: str, *, run: int, publishes: int = 100) -> dict[str, float]:
    """Each publish is a new consumer version with new content (a consumer build that changed its pact)."""
    bodies = [
        msgspec.json.encode(
            {
                "pacticipantName": "pact-web",
                "pacticipantVersionNumber": f"{run}.{build}",
                "branch": "main",
                "contracts": [
                    {
                        "consumerName": "pact-web",
                        "providerName": "pact-api",
                        "specification": "pact",
                        "contentType": "application/json",
                        "content": base64.b64encode(msgspec.json.encode(_pact(run, build, 100))).decode(),
                    }
                ],
            }
        )
        for build in range(publishes + 1)
    ]
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    latencies, server_times = [], []
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=60) as client:
        (await client.post("/contracts/publish", content=bodies[0])).raise_for_status()  # warm-up
        for body in bodies[1:]:
            started = time.perf_counter()
            response = await client.post("/contracts/publish", content=body)
            latencies.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
            server_times.append(float(response.headers["server-timing"].partition(";dur=")[2]))
    return {
        "p50_ms": statistics.median(latencies),
        "p99_ms": _percentile(latencies, 0.99),
        "server_p50_ms": statistics.median(server_times),
        "server_p99_ms": _percentile(server_times, 0.99),
    }
