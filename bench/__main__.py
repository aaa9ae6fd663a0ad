"""`python -m bench` (`make bench`): every figure beside its limit, measured in one run on this machine.

Writes BENCHMARKS.md and bench/results/latest.json. Each figure is the median of RUNS runs, with min and max.
Load comes from wrk (C) or, for batch uploads, a Python client whose own CPU use is reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from bench.checker import measure_checker
from bench.ci_ingest import batch_size_figures
from bench.hnsw_params import hnsw_parameter_figures
from bench.http_part import http_figures, render_http
from bench.ingest import run_copy_baseline, run_ingest
from bench.pact_publish import publish_latency
from bench.pages import page_figures
from bench.reads import bare_read, cheap_read, history_targets, latency
from bench.row_security import row_security_figures
from bench.server import BenchServer, accord_server, bare_server, reset_statement_counts, statement_count
from bench.vectors import render_vectors, vector_figures
from bench.wrk import require_wrk

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "make bench"
RUNS = int(os.environ.get("ACCORD_BENCH_RUNS", "3"))


def spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


async def _statements_per_request(server: BenchServer, url: str, key: str, requests: int = 50) -> float:
    await reset_statement_counts(server)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {key}"}, timeout=30) as client:
        for _ in range(requests):
            (await client.get(url)).raise_for_status()
    return await statement_count(server) / requests


async def single_worker_figures(results: dict[str, Any]) -> None:
    with accord_server(workers=1) as server:
        sizes = {"small": 20, "large": 100}  # versions per service of `accord demo --size`
        for size in sizes:
            log(f"generating the {size} history")
            server.tenant(size)
            started = time.monotonic()
            server.accord("demo", "--size", size, "--tenant", size)
            results.setdefault("history_seconds", {})[size] = time.monotonic() - started
        key = server.keys["large"]
        cheap_read(server, key, connections=8)  # warm-up
        results["rss_mib_after_warmup"] = server.worker_rss_mib()

        log("authenticated cheap read, 1 worker")
        reads = [cheap_read(server, key) for _ in range(RUNS)]
        results["cheap_read_1_worker"] = {
            "requests_per_second": spread([r.requests_per_second for r in reads]),
            "p50_ms": spread([r.p50_ms for r in reads]),
            "p99_ms": spread([r.p99_ms for r in reads]),
            "non_2xx": sum(r.non_2xx for r in reads),
        }

        for size, versions in sizes.items():
            targets = history_targets(server.base_url, versions)
            for name in ("can_i_deploy", "matrix", "verification_tasks"):
                log(f"{name} latency, {size} history")
                url = getattr(targets, name)
                runs = [latency(url, server.keys[size]) for _ in range(RUNS)]
                results.setdefault(name, {})[size] = {
                    "p50_ms": spread([r.p50_ms for r in runs]),
                    "p99_ms": spread([r.p99_ms for r in runs]),
                    "non_2xx": sum(r.non_2xx for r in runs),
                    "statements_per_request": await _statements_per_request(server, url, server.keys[size]),
                }
        for name in ("can_i_deploy", "matrix", "verification_tasks"):
            figures = results[name]
            figures["growth_p50"] = figures["large"]["p50_ms"]["median"] / figures["small"]["p50_ms"]["median"]

        log("pact publish latency")
        pact_key = server.tenant("pact")
        try:
            runs = [await publish_latency(server, pact_key, run=run) for run in range(RUNS)]
            results["pact_publish"] = {
                "p50_ms": spread([r["p50_ms"] for r in runs]),
                "p99_ms": spread([r["p99_ms"] for r in runs]),
                "server_p50_ms": spread([r["server_p50_ms"] for r in runs]),
                "server_p99_ms": spread([r["server_p99_ms"] for r in runs]),
            }
        except httpx.HTTPStatusError as exc:
            results["pact_publish"] = {"error": f"{exc.response.status_code} from /contracts/publish"}
        log("dashboard pages, large history")
        results["pages"] = _page_spreads(page_figures(server, "large", runs=RUNS))
        results["rss_mib_after_load"] = server.worker_rss_mib()
        connection = await server.connect()
        try:
            results["postgresql"] = str(await connection.fetchval("SHOW server_version"))
        finally:
            await connection.close()


def _page_spreads(figures: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {"path": figure["path"], "p50_ms": spread(figure["p50_ms"]), "p99_ms": spread(figure["p99_ms"])}
        for name, figure in figures.items()
    }


def pages_part() -> None:
    """`python -m bench pages`: only the dashboard pages' server time on the large history. Generating that history
    takes 5 to 20 minutes; with ACCORD_BENCH_HISTORY_DIR naming a data dir where
    `ACCORD_DATA_DIR=<dir> accord demo --size large --tenant large` already ran, the part serves that instead."""
    history = os.environ.get("ACCORD_BENCH_HISTORY_DIR")
    with accord_server(workers=1, history_dir=Path(history) if history else None) as server:
        if history:
            log(f"serving the history in {history} (made by `accord demo --size large --tenant large`)")
        else:
            log("generating the large history")
            server.tenant("large")
            server.accord("demo", "--size", "large", "--tenant", "large")
        log("dashboard pages, large history")
        pages = _page_spreads(page_figures(server, "large", runs=RUNS))
    from bench.report import page_rows

    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    figures = {"machine": machine(with_wrk=False), "pages": pages}
    (ROOT / "bench" / "results" / "pages.json").write_text(json.dumps(figures, indent=2))
    print("\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in page_rows(pages)))


async def two_worker_figures(results: dict[str, Any]) -> None:
    with accord_server(workers=2) as server:
        key = server.tenant("load")
        server.accord("demo", "--size", "small", "--tenant", "load")
        cheap_read(server, key, connections=8)  # warm-up
        log("authenticated cheap read, 2 workers")
        reads = [cheap_read(server, key) for _ in range(RUNS)]
        results["cheap_read_2_workers"] = {
            "requests_per_second": spread([r.requests_per_second for r in reads]),
            "p50_ms": spread([r.p50_ms for r in reads]),
            "p99_ms": spread([r.p99_ms for r in reads]),
        }
        log("ingest over HTTP and raw COPY")
        ingests, copies = [], []
        for run in range(RUNS):
            ingests.append(await run_ingest(server, key, run=run))
            copies.append(await run_copy_baseline(server, rows=20_000))
        results["ingest"] = {
            "interactions_per_second": spread([r.per_second for r in ingests]),
            "copy_rows_per_second": spread(copies),
            "statements_per_batch": spread([r.statements_per_batch for r in ingests]),
            "client_cpu_share": spread([r.client_cpu_share for r in ingests]),
            "batch_size": ingests[0].batch_size,
            "clients": ingests[0].clients,
        }
        results["rss_mib_two_workers_after_load"] = server.worker_rss_mib()


async def ingest_batch_figures(results: dict[str, Any]) -> None:
    with accord_server(workers=2) as server:
        log("ingest at CI batch sizes (10, 100, 1000) and the 1st vs 50th batch of a run")
        results["ingest_batches"] = await batch_size_figures(server, runs=RUNS)


def bare_figures(results: dict[str, Any]) -> None:
    with bare_server() as base_url:
        bare_read(base_url, connections=8)  # warm-up
        log("bare Litestar handler")
        reads = [bare_read(base_url) for _ in range(RUNS)]
        results["bare_handler"] = {
            "requests_per_second": spread([r.requests_per_second for r in reads]),
            "p50_ms": spread([r.p50_ms for r in reads]),
            "p99_ms": spread([r.p99_ms for r in reads]),
        }


def machine(*, with_wrk: bool = True) -> dict[str, Any]:
    """`with_wrk=False` for parts that load the server from Python only (the pages part)."""
    described = {
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    if with_wrk:
        wrk_version = subprocess.run([require_wrk(), "--version"], capture_output=True, text=True, check=False)
        described["wrk"] = (wrk_version.stdout or wrk_version.stderr).split("\n")[0]
    return described


VECTORS_SECTION = "## pgvector: similarity search and the mock"


def write_vectors_section(figures: dict[str, Any], command: str) -> str:
    """BENCHMARKS.md with the vectors section replaced (or added at the end), as `python -m bench vectors` left it."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text() if path.exists() else ""
    kept, _, rest = current.partition(VECTORS_SECTION)
    kept = kept.rstrip("\n")
    # The sections after this one stay (they used to be dropped with the old vectors section).
    after = rest.partition("\n## ")[2]
    section = render_vectors(figures, command)
    written = f"{kept}\n\n{section}" if kept else section
    path.write_text(f"{written.rstrip()}\n\n## {after}" if after else written)
    return section


async def vectors_only() -> None:
    """`python -m bench vectors`: the pgvector part alone."""
    # No wrk here: this part measures with Python clients only.
    about = {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    results: dict[str, Any] = {"machine": about, "runs": RUNS}
    await vector_figures(results, log, RUNS)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "vectors.json").write_text(json.dumps(results, indent=2))
    print(write_vectors_section(results["vectors"], "make bench-vectors"))


# Parts that can run alone: `python -m bench PART` measures only that part and writes
# bench/results/PART.json and its section of the report to stdout (BENCHMARKS.md is left as it is).
async def ingest_figures(results: dict[str, Any]) -> None:
    """The batches-of-1,000 ingest of two_worker_figures beside raw COPY, without the wrk reads."""
    with accord_server(workers=2) as server:
        key = server.tenant("load")
        log("ingest over HTTP (4 clients x batches of 1000) and raw COPY")
        ingests, copies = [], []
        for run in range(RUNS):
            ingests.append(await run_ingest(server, key, run=run))
            copies.append(await run_copy_baseline(server, rows=20_000))
        results["ingest"] = {
            "interactions_per_second": spread([r.per_second for r in ingests]),
            "copy_rows_per_second": spread(copies),
            "ratio_to_copy": spread([i.per_second / c for i, c in zip(ingests, copies, strict=True)]),
            "statements_per_batch": spread([r.statements_per_batch for r in ingests]),
        }


async def row_security_part(results: dict[str, Any]) -> None:
    await row_security_figures(results, RUNS, log)


async def hnsw_parameter_part(results: dict[str, Any]) -> None:
    results["hnsw_params"] = await hnsw_parameter_figures(log, RUNS)


async def request_path_figures(results: dict[str, Any]) -> None:
    results["load"] = " ".join(f"{value:.1f}" for value in os.getloadavg())
    await http_figures(results, RUNS, log)


PARTS = {
    "ingest_batches": ingest_batch_figures,
    "ingest": ingest_figures,
    "row_security": row_security_part,
    "http": request_path_figures,
    "hnsw_params": hnsw_parameter_part,
}


async def run_part(name: str) -> None:
    from bench.report import render_ingest_batches

    results: dict[str, Any] = {"runs": RUNS, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    await PARTS[name](results)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / f"{name}.json").write_text(json.dumps(results, indent=2, default=str))
    if name == "ingest_batches":
        print(render_ingest_batches(results[name], f".venv/bin/python -m bench {name}"))
    elif name == "http":
        print(render_http(results, f".venv/bin/python -m bench {name}"))
    else:
        print(json.dumps(results[name], indent=2))


async def main() -> None:
    if sys.argv[1:] == ["vectors"]:
        await vectors_only()
        return
    if len(sys.argv) > 1:
        if sys.argv[1] not in PARTS:
            raise SystemExit(f"unknown part {sys.argv[1]!r}; parts: {', '.join(PARTS)}")
        await run_part(sys.argv[1])
        return
    started = time.monotonic()
    results: dict[str, Any] = {"machine": machine(), "runs": RUNS}
    log("static contract checker")
    results["checker"] = measure_checker()
    bare_figures(results)
    await single_worker_figures(results)
    await two_worker_figures(results)
    await vector_figures(results, log, RUNS)
    await ingest_batch_figures(results)
    results["machine"]["postgresql"] = results.pop("postgresql", "")
    results["seconds"] = time.monotonic() - started
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "latest.json").write_text(json.dumps(results, indent=2))
    from bench.report import render

    report = render(results, COMMAND)
    (ROOT / "BENCHMARKS.md").write_text(report)
    print(report + "\n" + write_vectors_section(results["vectors"], COMMAND))


if __name__ == "__main__":
    if sys.argv[1:] == ["pages"]:
        pages_part()
    else:
        asyncio.run(main())
