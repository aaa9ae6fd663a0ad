"""Where a batch upload's CPU goes: `python -m bench.ingest_cpu [--size N] [--clients C] [--workers W] [--runs R]`.

Serves a fresh data dir, sends R CI runs of the ingest_batches workload (bench/ci_ingest.py) in batches of N from
C clients, and prints the CPU seconds per batch of PostgreSQL, of the server's processes and of this client (psutil,
summed over the series), then the statements pg_stat_statements ranks first by total time. On a 2-core machine the
three share the cores, so CPU per batch is steadier than interactions/s. `--spy FILE` also samples one server
worker with py-spy (raw collapsed stacks; run as root, with --workers 1).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
from typing import Any

import httpx
import msgspec
import psutil

from bench.ci_ingest import run_items
from bench.server import BIN, BenchServer, accord_server, reset_statement_counts


def _cpu_seconds(server: BenchServer) -> tuple[float, float, float]:
    """(PostgreSQL, server, this process) CPU seconds so far."""
    root = psutil.Process(server.process.pid)
    postgres = accord = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            if not process.name().startswith("postgres"):
                times = process.cpu_times()
                accord += times.user + times.system
        except psutil.Error:
            continue
    for process in psutil.process_iter(["name"]):
        try:
            if (process.info["name"] or "").startswith("postgres"):
                times = process.cpu_times()
                postgres += times.user + times.system
        except psutil.Error:
            continue
    mine = psutil.Process().cpu_times()
    return postgres, accord, mine.user + mine.system


def _start_spy(server: BenchServer, path: str) -> subprocess.Popen[bytes]:
    """py-spy on the server's largest process (the worker, with --workers 1)."""
    processes = [psutil.Process(server.process.pid), *psutil.Process(server.process.pid).children(recursive=True)]
    worker = max((p for p in processes if not p.name().startswith("postgres")), key=lambda p: p.memory_info().rss)
    return subprocess.Popen(
        [str(BIN / "py-spy"), "record", "-p", str(worker.pid), "-o", path, "-f", "raw", "-r", "200"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _top_statements(server: BenchServer, limit: int = 15) -> list[Any]:
    connection = await server.connect()
    try:
        return list(
            await connection.fetch(
                "SELECT calls, total_exec_time, mean_exec_time, "
                "left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS q "
                "FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'accord' "
                "ORDER BY total_exec_time DESC LIMIT $1",
                limit,
            )
        )
    finally:
        await connection.close()


async def measure(args: argparse.Namespace) -> None:
    with accord_server(workers=args.workers) as server:
        key = server.tenant("cpu")
        url = f"{server.base_url}/api/interactions/batch"
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        runs = [run_items(run, max(100, args.size), "cpu") for run in range(args.runs)]
        latencies: list[float] = []
        async with httpx.AsyncClient(timeout=120) as http:
            for run in range(3):  # warm-up: connections, caches, the services of the workload
                items = run_items(1000 + run, 100, "warm")
                for start in range(0, len(items), args.size):
                    body = msgspec.json.encode({"items": items[start : start + args.size]})
                    (await http.post(url, content=body, headers=headers)).raise_for_status()
            await reset_statement_counts(server)
            spy = _start_spy(server, args.spy) if args.spy else None
            if spy is not None:
                await asyncio.sleep(1)  # py-spy attaches
            queue = list(reversed(runs))

            async def client() -> None:
                while queue:
                    items = queue.pop()
                    for start in range(0, len(items), args.size):
                        body = msgspec.json.encode({"items": items[start : start + args.size]})
                        started = time.perf_counter()
                        (await http.post(url, content=body, headers=headers)).raise_for_status()
                        latencies.append((time.perf_counter() - started) * 1000)

            before = _cpu_seconds(server)
            started = time.perf_counter()
            await asyncio.gather(*(client() for _ in range(args.clients)))
            seconds = time.perf_counter() - started
            after = _cpu_seconds(server)
            if spy is not None:
                spy.send_signal(2)
                spy.wait(30)
        batches = len(latencies)
        postgres, accord, mine = ((a - b) / batches * 1000 for a, b in zip(after, before, strict=True))
        interactions = sum(len(items) for items in runs)
        print(
            f"batches of {args.size}, {args.clients} clients, {args.workers} workers: "
            f"{interactions / seconds:,.0f} interactions/s, p50 {statistics.median(latencies):.1f} ms a batch"
        )
        print(
            f"CPU per batch: PostgreSQL {postgres:.2f} ms, server {accord:.2f} ms, client {mine:.2f} ms; "
            f"wall {seconds / batches * 1000:.2f} ms"
        )
        for row in await _top_statements(server):
            print(f"{row['calls']:6d} {row['total_exec_time']:9.1f} ms {row['mean_exec_time']:8.3f} ms  {row['q']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=10, help="interactions per batch")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=40, help="CI runs of max(100, size) interactions")
    parser.add_argument("--spy", help="write py-spy's raw stacks of one worker here")
    asyncio.run(measure(parser.parse_args()))


if __name__ == "__main__":
    main()
