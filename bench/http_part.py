"""`python -m bench http`: the request path alone (issue 11), as ratios measured in one run.

The bare handler, `GET /health` and the authenticated cheap read are measured in turns (bare, health, cheap,
bare, ...) with both servers up, so each ratio compares runs seconds apart on a machine shared with other work.
With ACCORD_BENCH_HISTORY_DIR naming a data dir where `accord demo --size small --tenant small` and
`accord demo --size large --tenant large` already ran, that history is served (and kept); otherwise both are
generated first (minutes).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.reads import bare_read, cheap_read, health_read, history_targets, latency
from bench.server import BenchServer, accord_server, bare_server, reset_statement_counts, statement_count
from bench.wrk import WrkResult

SIZES = {"small": 20, "large": 100}  # versions per service of `accord demo --size`
HISTORY_READS = ("can_i_deploy", "matrix", "verification_tasks")


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def _summary(runs: list[WrkResult]) -> dict[str, Any]:
    return {
        "requests_per_second": _spread([r.requests_per_second for r in runs]),
        "p50_ms": _spread([r.p50_ms for r in runs]),
        "p99_ms": _spread([r.p99_ms for r in runs]),
        "non_2xx": sum(r.non_2xx for r in runs),
    }


def _keys(server: BenchServer, history: bool) -> None:
    for size in SIZES:
        if history:
            name = f"bench-{os.getpid()}-{time.monotonic_ns()}"
            server.keys[size] = server.accord("keys", "create", "--tenant", size, "--name", name, "--scopes", "admin")
        else:
            server.tenant(size)
            server.accord("demo", "--size", size, "--tenant", size)


async def _statements_per_request(server: BenchServer, url: str, key: str, requests: int = 50) -> float:
    await reset_statement_counts(server)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for _ in range(requests):
            (await client.get(url)).raise_for_status()
    return await statement_count(server) / requests


async def http_figures(results: dict[str, Any], runs: int, log: Callable[[str], None]) -> None:
    history_env = os.environ.get("ACCORD_BENCH_HISTORY_DIR")
    history = Path(history_env) if history_env else None
    with (
        bare_server() as bare_url,
        bare_server(ACCORD_PROTOCOL) as bare_accord_url,
        accord_server(workers=1, history_dir=history) as server,
    ):
        _keys(server, history is not None)
        key = server.keys["large"]
        bare_read(bare_url, connections=8)
        cheap_read(server, key, connections=8)  # warm-up
        results["rss_mib_after_warmup"] = server.worker_rss_mib()
        log("bare handler, /health and the cheap read, in turns")
        bare, bare_accord, health, cheap = [], [], [], []
        for _ in range(runs):
            bare.append(bare_read(bare_url))
            bare_accord.append(bare_read(bare_accord_url))
            health.append(health_read(server))
            cheap.append(cheap_read(server, key))
        results["bare_handler"], results["health"] = _summary(bare), _summary(health)
        results["bare_handler_accord_protocol"] = _summary(bare_accord)
        results["bare_handler_accord_protocol"]["ratio_to_bare"] = _ratio(bare_accord, bare)
        results["cheap_read_1_worker"] = _summary(cheap)
        results["health"]["ratio_to_bare"] = _ratio(health, bare)
        results["cheap_read_1_worker"]["ratio_to_bare"] = _ratio(cheap, bare)
        for size, versions in SIZES.items():
            targets = history_targets(server.base_url, versions)
            for name in HISTORY_READS:
                log(f"{name} latency, {size} history")
                url = getattr(targets, name)
                figures = _summary([latency(url, server.keys[size]) for _ in range(runs)])
                figures["statements_per_request"] = await _statements_per_request(server, url, server.keys[size])
                async with httpx.AsyncClient(headers={"Authorization": f"Bearer {server.keys[size]}"}) as client:
                    figures["response_bytes"] = len((await client.get(url)).content)
                results.setdefault(name, {})[size] = figures
        for name in HISTORY_READS:
            figures = results[name]
            figures["growth_p50"] = figures["large"]["p50_ms"]["median"] / figures["small"]["p50_ms"]["median"]
        results["rss_mib_after_load"] = server.worker_rss_mib()
        one_worker = results["cheap_read_1_worker"]["requests_per_second"]["median"]
    with accord_server(workers=2, history_dir=history) as server:
        _keys(server, history is not None)
        cheap_read(server, server.keys["large"], connections=8)  # warm-up
        log("cheap read, 2 workers")
        two = _summary([cheap_read(server, server.keys["large"]) for _ in range(runs)])
        two["ratio_to_1_worker"] = two["requests_per_second"]["median"] / one_worker
        results["cheap_read_2_workers"] = two
        results["rss_mib_two_workers_after_load"] = server.worker_rss_mib()


# What `accord serve` runs on (accord.cli.serve): uvicorn's httptools protocol with one write per response.
ACCORD_PROTOCOL = "accord.serving.protocol:DrainingHttpToolsProtocol"


def _ratio(runs: list[WrkResult], bare: list[WrkResult]) -> dict[str, float]:
    """Requests/s over the bare handler's of the same turn, per turn."""
    return _spread([r.requests_per_second / b.requests_per_second for r, b in zip(runs, bare, strict=True)])


def render_http(results: dict[str, Any], command: str) -> str:
    def rps(figure: dict[str, Any]) -> str:
        s = figure["requests_per_second"]
        return f"{s['median']:,.0f} ({s['min']:,.0f} to {s['max']:,.0f})"

    def ms(figure: dict[str, Any]) -> str:
        return f"{figure['p50_ms']['median']:.2f} / {figure['p99_ms']['median']:.2f} ms"

    lines = [
        f"Command: `{command}`, {results['runs']} turns, {results['date']}; load average before: {results['load']}.",
        "",
        "| figure | value | goal |",
        "|---|---|---|",
        f"| bare Litestar handler (req/s, 32 connections) | {rps(results['bare_handler'])}, p50/p99 "
        f"{ms(results['bare_handler'])} | floor |",
    ]
    accord_protocol = results["bare_handler_accord_protocol"]
    lines.append(
        f"| the same bare handler on Accord's serving protocol (one write per response) | {rps(accord_protocol)}; "
        f"{accord_protocol['ratio_to_bare']['median']:.2f} of bare | - |"
    )
    for name, label, goal in (("health", "`GET /health`", 0.8), ("cheap_read_1_worker", "cheap read, 1 worker", 0.5)):
        figure = results[name]
        ratio = figure["ratio_to_bare"]
        lines.append(
            f"| {label} (req/s) | {rps(figure)}, p50/p99 {ms(figure)}; **{ratio['median']:.2f} of bare** "
            f"({ratio['min']:.2f} to {ratio['max']:.2f}) | ≥ {goal} |"
        )
    two = results["cheap_read_2_workers"]
    lines.append(
        f"| cheap read, 2 workers (req/s) | {rps(two)}; **{two['ratio_to_1_worker']:.2f}x** 1 worker | ≥ 1.8x |"
    )
    for name in HISTORY_READS:
        for size in SIZES:
            figure = results[name][size]
            lines.append(
                f"| `{name}` {size} history, 1 connection, p50 / p99 | {ms(figure)}; "
                f"{figure['statements_per_request']:.1f} statements, {figure['response_bytes']:,} bytes | "
                + ("p99 < 5 ms |" if name == "can_i_deploy" else "|")
            )
        lines.append(f"| `{name}` large/small p50 | **{results[name]['growth_p50']:.2f}** | ≤ 1.5 |")
    rss = ", ".join(f"{v:.0f}" for v in results["rss_mib_after_load"])
    rss2 = ", ".join(f"{v:.0f}" for v in results["rss_mib_two_workers_after_load"])
    lines.append(f"| RSS per worker after load (MiB) | 1 worker: {rss}; 2 workers: {rss2} | < 150 |")
    return "\n".join(lines)
