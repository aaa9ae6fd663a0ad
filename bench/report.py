"""BENCHMARKS.md from a results dictionary (bench/results/latest.json)."""

from __future__ import annotations

from typing import Any


def _v(spread: dict[str, float], unit: str = "", digits: int = 0) -> str:
    return (
        f"{spread['median']:,.{digits}f}{unit} <sub>({spread['min']:,.{digits}f} to {spread['max']:,.{digits}f})</sub>"
    )


def _ms(figure: dict[str, Any]) -> str:
    return f"{_v(figure['p50_ms'], ' ms', 2)} / {_v(figure['p99_ms'], ' ms', 2)}"


def _verdict(ok: bool) -> str:
    return "meets target" if ok else "**misses target**"


def render(results: dict[str, Any], command: str) -> str:
    m = results["machine"]
    ingest = results["ingest"]
    bare = results["bare_handler"]
    one = results["cheap_read_1_worker"]
    two = results["cheap_read_2_workers"]
    rows: list[tuple[str, str, str, str]] = []

    per_second = ingest["interactions_per_second"]["median"]
    copy = ingest["copy_rows_per_second"]["median"]
    rows.append(
        (
            f"Ingest over HTTP: `POST /api/interactions/batch`, {ingest['clients']} clients x batches of "
            f"{ingest['batch_size']} (interactions/s, 2 workers)",
            _v(ingest["interactions_per_second"]),
            f"raw asyncpg COPY of the same rows into the same table: {_v(ingest['copy_rows_per_second'])} rows/s; "
            f"target ≥ 10,000/s: {_verdict(per_second >= 10_000)}",
            f"{per_second / copy:.2f} of COPY",
        )
    )
    rows.append(
        (
            "SQL statements per ingest batch (pg_stat_statements)",
            _v(ingest["statements_per_batch"], digits=1),
            "constant whatever the batch size (a test checks 3 vs 600 items)",
            f"{ingest['statements_per_batch']['median'] / ingest['batch_size']:.3f} per interaction",
        )
    )
    rows.append(
        (
            "Load generator CPU during ingest (share of one core)",
            _v(ingest["client_cpu_share"], digits=2),
            "well under 1: the client is not the bottleneck",
            "-",
        )
    )
    rows.append(
        (
            "Authenticated cheap read `GET /api/services/{name}` (req/s, 1 worker, wrk 32 connections)",
            _v(one["requests_per_second"]),
            f"bare Litestar handler, same uvicorn set-up: {_v(bare['requests_per_second'])} req/s",
            f"{one['requests_per_second']['median'] / bare['requests_per_second']['median']:.2f} of bare",
        )
    )
    rows.append(
        (
            "… its latency p50 / p99",
            _ms(one),
            f"bare handler: {_ms(bare)}",
            f"{one['p50_ms']['median'] / bare['p50_ms']['median']:.1f}x bare p50",
        )
    )
    for name, label in (
        ("can_i_deploy", "`GET /api/can-i-deploy` (both directions)"),
        ("matrix", "`GET /api/matrix` for a pair"),
        ("verification_tasks", "`GET /api/verification/{provider}/tasks`"),
    ):
        figure = results[name]
        growth = figure["growth_p50"]
        target = (
            f"target < 1.5x: {_verdict(growth < 1.5)}; large-history p50 target < 10 ms (Pact issue): "
            f"{_verdict(figure['large']['p50_ms']['median'] < 10)}"
            if name == "can_i_deploy"
            else "goal ~1x: the large history's contracts are 10x bigger with 5x the verdicts each, so responses "
            "grow; statements per request stay constant"
        )
        for size in ("small", "large"):
            rows.append(
                (
                    f"{label} p50 / p99, {size} history (1 connection)",
                    _ms(figure[size]),
                    f"{figure[size]['statements_per_request']:.1f} SQL statements per request",
                    "-",
                )
            )
        rows.append(("… growth of p50 from small to large history", f"{growth:.2f}x", target, f"{growth:.2f}"))
    publish = results["pact_publish"]
    rows.append(
        (
            "Pact publish `POST /contracts/publish`, 100-interaction pact, new version each time, p50 / p99",
            _ms(publish) if "p50_ms" in publish else publish.get("error", "not measured"),
            f"server time (Server-Timing) p50 / p99: {_v(publish['server_p50_ms'], ' ms', 2)} / "
            f"{_v(publish['server_p99_ms'], ' ms', 2)}; target single-digit ms of server time at the median "
            f"(Pact issue): {_verdict(publish['server_p50_ms']['median'] < 10)}"
            if "server_p50_ms" in publish
            else "-",
            "-",
        )
    )
    rows.append(
        (
            "Server memory (RSS per worker) after warm-up → after the load above",
            f"{', '.join(f'{v:.0f}' for v in results['rss_mib_after_warmup'])} MiB → "
            f"{', '.join(f'{v:.0f}' for v in results['rss_mib_after_load'])} MiB",
            f"2 workers after ingest: {', '.join(f'{v:.0f}' for v in results['rss_mib_two_workers_after_load'])} MiB",
            "-",
        )
    )
    rows.append(
        (
            "Scale-out: cheap read with 2 workers (req/s)",
            _v(two["requests_per_second"]),
            f"1 worker: {_v(one['requests_per_second'])} req/s (2 cores, shared with PostgreSQL and wrk)",
            f"{two['requests_per_second']['median'] / one['requests_per_second']['median']:.2f}x 1 worker",
        )
    )

    checker = results["checker"]
    warm = checker["check_warm_ms"]["median"]
    rows.append(
        (
            f"Static check of a {checker['interactions']}-interaction contract against a "
            f"{checker['operations']}-operation spec (compiled spec cached per content)",
            _v(checker["check_warm_ms"], " ms", 1),
            f"target < {checker['target_warm_ms']} ms: {_verdict(warm < checker['target_warm_ms'])}; compiling the "
            f"spec once: {_v(checker['compile_ms'], ' ms', 1)}; first check after compiling: "
            f"{_v(checker['check_cold_ms'], ' ms', 1)}",
            f"{warm / checker['target_warm_ms']:.2f} of target",
        )
    )
    rows.extend(page_rows(results.get("pages", {})))
    history = results.get("history_seconds", {})
    lines = [
        "# Benchmarks",
        "",
        f"Produced by `{command}` (`.venv/bin/python -m bench`) on {m['date']}: {m['cores']} cores, "
        f"Python {m['python']}, PostgreSQL {m.get('postgresql', '?')} (embedded), {m['wrk']}. "
        f"Every figure is the median of {results['runs']} runs in the same invocation, with (min to max); ratios "
        f"compare figures measured minutes apart on the same machine. Whole run: {results['seconds']:.0f} s.",
        "",
        "Histories come from `accord demo --size small|large` (large: 200 services, 20,000 versions, 2,000 "
        "contracts, 200,000 interactions, 50,000 verification results, deployments in 3 environments"
        + (f"; generated in {history.get('large', 0):.0f} s" if history else "")
        + "). Load: wrk on loopback, bounded in time; batch uploads from an async Python client.",
        "",
        "| figure | value | limit / target | ratio |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
    ]
    if "ingest_batches" in results:
        lines.append(render_ingest_batches(results["ingest_batches"], command))
    return "\n".join(lines)


def _spread(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1]}


_BATCH_TARGETS = {"10": 5_000, "100": 15_000}


def render_ingest_batches(figures: dict[str, Any], command: str) -> str:
    """The section on ingest at CI batch sizes (bench/ci_ingest.py)."""
    copy = _spread(figures["copy_rows_per_second"])
    rows: list[tuple[str, str, str, str]] = []
    for size, series in figures["series"].items():
        per_second = _spread(series["per_second"])
        if size in _BATCH_TARGETS:
            target = f"target ≥ {_BATCH_TARGETS[size]:,}/s: {_verdict(per_second['median'] >= _BATCH_TARGETS[size])}"
        else:
            target = f"target ≥ 0.62 of COPY: {_verdict(per_second['median'] / copy['median'] >= 0.62)}"
        rows.append(
            (
                f"Batches of {size}: interactions/s (4 CI runs at once, 2 workers)",
                _v(per_second),
                f"{target}; per batch p50 / p99 {_v(_spread(series['p50_ms']), ' ms', 1)} / "
                f"{_v(_spread(series['p99_ms']), ' ms', 1)}; {_v(_spread(series['statements']), digits=1)} "
                "SQL statements per batch"
                + (
                    f"; after the series the indexer put {_v(_spread(series['indexed']))} waiting vectors into the "
                    f"graph and the settler derived {_v(_spread(series['settled']))} pending contracts in "
                    f"{_v(_spread(series['index_seconds']), ' s', 1)}"
                    if "indexed" in series
                    else ""
                ),
                f"{per_second['median'] / copy['median']:.2f} of COPY",
            )
        )
    long_runs = figures["first_versus_fiftieth"]
    first = _spread([run["first_ms"] for run in long_runs])
    fiftieth = _spread([run["fiftieth_ms"] for run in long_runs])
    ratio = _spread([run["ratio"] for run in long_runs])
    rows.append(
        (
            "1st vs 50th batch of 10 of one consumer version (median latency over 6 runs, 1 client)",
            f"{_v(first, ' ms', 1)} vs {_v(fiftieth, ' ms', 1)}",
            "goal: equal within noise (the cost of a batch does not grow with the version's history)",
            f"{ratio['median']:.2f}x",
        )
    )
    return "\n".join(
        [
            "## Ingest at CI batch sizes",
            "",
            f"Produced by `{command}`. 20,000 interactions (~500-byte JSON bodies) of 60 services, in CI runs of "
            "100 interactions (1,000 for batches of 1,000), each one consumer version calling 3 to 5 providers; "
            "4 runs at once, each run's batches in order. Raw asyncpg COPY of 20,000 rows in the same server: "
            f"{_v(copy)} rows/s.",
            "",
            "| figure | value | limit / target | ratio |",
            "|---|---|---|---|",
            *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
            "",
        ]
    )


def page_rows(pages: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Dashboard pages on the large history: server time (Server-Timing) p50 / p99, logged in as a viewer."""
    from bench.pages import TARGET_P50_MS

    return [
        (
            f"Page `GET {figure['path']}`, large history, server time p50 / p99",
            _ms(figure),
            f"goal p50 < {TARGET_P50_MS} ms: {_verdict(figure['p50_ms']['median'] < TARGET_P50_MS)}",
            f"{figure['p50_ms']['median'] / TARGET_P50_MS:.2f} of goal",
        )
        for figure in pages.values()
    ]
