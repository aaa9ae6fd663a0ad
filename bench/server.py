"""A real `accord serve` on loopback with its own embedded PostgreSQL, pg_stat_statements loaded to count SQL."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx

ACCORD = str(Path(sys.executable).parent / "accord")


@dataclass
class BenchServer:
    base_url: str
    database_url: str
    api_key: str
    tenant_slug: str
    process: subprocess.Popen[bytes]
    data_dir: Path

    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.database_url)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _accord(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([ACCORD, *args], env=env, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"accord {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip()


@contextlib.contextmanager
def bench_server(*, workers: int = 1, tenant: str = "bench") -> Iterator[BenchServer]:
    data_dir = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"ACCORD_DATA_DIR": str(data_dir), "ACCORD_LOG_LEVEL": "warning"})
    _accord(env, "migrate")  # creates the cluster; it stops when the command exits
    with (data_dir / "pgdata" / "postgresql.conf").open("a") as conf:
        conf.write("\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'top'\n")
    port = _free_port()
    process = subprocess.Popen(
        [ACCORD, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("accord serve did not become ready")
        _accord(env, "tenants", "create", "--slug", tenant, "--name", tenant)
        key = _accord(env, "keys", "create", "--tenant", tenant, "--name", "bench", "--scopes", "admin")
        database_url = f"postgresql://postgres:@/accord?host={data_dir / 'pgdata'}"
        yield BenchServer(
            base_url=base_url,
            database_url=database_url,
            api_key=key,
            tenant_slug=tenant,
            process=process,
            data_dir=data_dir,
        )
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(data_dir, ignore_errors=True)


async def reset_statement_counts(server: BenchServer) -> None:
    connection = await server.connect()
    try:
        await connection.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        await connection.execute("SELECT pg_stat_statements_reset()")
    finally:
        await connection.close()


async def statement_count(server: BenchServer) -> int:
    """Statements the server ran since the last reset: every round trip that does work, not counting
    transaction control (BEGIN/COMMIT) or this bookkeeping."""
    connection = await server.connect()
    try:
        value = await connection.fetchval(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
            "WHERE d.datname = 'accord' AND s.query NOT ILIKE '%pg_stat_statements%' "
            "AND upper(s.query) NOT IN ('BEGIN', 'COMMIT', 'ROLLBACK', 'BEGIN ISOLATION LEVEL READ COMMITTED')"
        )
    finally:
        await connection.close()
    return int(value)
