"""`python -m bench.statement_times [can_i_deploy|matrix|verification_tasks]`: where a read's time goes, per history.

Serves ACCORD_BENCH_HISTORY_DIR (a data dir where `accord demo --size small --tenant small` and `--size large
--tenant large` ran; generated there first when the directory does not exist yet), sends the read 100 times per
history after a warm-up, and prints pg_stat_statements' mean execution time of each statement it ran: the
statement whose time grows from the small history to the large one is the one to look at.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

import httpx

from bench.http_part import SIZES
from bench.reads import history_targets
from bench.server import BenchServer, accord_server

_TOP = (
    "SELECT calls, round(mean_exec_time::numeric, 3) AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) AS q "
    "FROM pg_stat_statements WHERE calls >= $1 ORDER BY mean_exec_time DESC LIMIT 6"
)


def _keys(server: BenchServer, generate: bool) -> dict[str, str]:
    keys = {}
    for size in SIZES:
        if generate:
            keys[size] = server.tenant(size)
            server.accord("demo", "--size", size, "--tenant", size)
        else:
            name = f"statements-{time.time_ns()}"
            keys[size] = server.accord("keys", "create", "--tenant", size, "--name", name, "--scopes", "admin")
    return keys


async def _report(server: BenchServer, keys: dict[str, str], read: str, calls: int = 100) -> None:
    connection = await server.connect()
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        for size, versions in SIZES.items():
            url = getattr(history_targets(server.base_url, versions), read)
            async with httpx.AsyncClient(headers={"Authorization": f"Bearer {keys[size]}"}, timeout=30) as client:
                for _ in range(20):
                    (await client.get(url)).raise_for_status()
                await connection.execute("SELECT pg_stat_statements_reset()")
                for _ in range(calls):
                    (await client.get(url)).raise_for_status()
            print(f"--- {read}, {size} history: calls, mean ms, statement")
            for row in await connection.fetch(_TOP, calls):
                print(row["calls"], row["ms"], row["q"])
    finally:
        await connection.close()


def main() -> None:
    read = sys.argv[1] if len(sys.argv) > 1 else "verification_tasks"
    history = Path(os.environ.get("ACCORD_BENCH_HISTORY_DIR", ".accord/bench-history"))
    generate = not history.exists()
    with accord_server(history_dir=history) as server:
        asyncio.run(_report(server, _keys(server, generate), read))


if __name__ == "__main__":
    main()
