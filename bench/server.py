"""Real servers on loopback for the benchmarks: `accord serve` with its own embedded PostgreSQL (with
pg_stat_statements loaded, to count SQL), and the bare Litestar app served the same way."""

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
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import psutil

BIN = Path(sys.executable).parent
ACCORD = str(BIN / "accord")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        time.sleep(0.2)
    raise RuntimeError(f"{url} never answered 200")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


@dataclass
class BenchServer:
    base_url: str
    env: dict[str, str]
    data_dir: Path
    process: subprocess.Popen[bytes]
    keys: dict[str, str] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres:@/accord?host={self.data_dir / 'pgdata'}"

    def accord(self, *args: str, timeout: int = 600) -> str:
        result = subprocess.run(
            [ACCORD, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"accord {' '.join(args)} failed: {result.stderr}")
        return result.stdout.strip()

    def tenant(self, slug: str) -> str:
        """Create a tenant with an admin key; returns the key."""
        self.accord("tenants", "create", "--slug", slug, "--name", slug)
        self.keys[slug] = self.accord("keys", "create", "--tenant", slug, "--name", "bench", "--scopes", "admin")
        return self.keys[slug]

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each process serving requests (the workers, or the one process)."""
        parent = psutil.Process(self.process.pid)
        workers = [child for child in parent.children(recursive=True) if "postgres" not in child.name()]
        return [proc.memory_info().rss / 2**20 for proc in (workers or [parent])]

    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.database_url)


@contextlib.contextmanager
def accord_server(
    *, workers: int = 1, history_dir: Path | None = None, as_owner: bool = False
) -> Iterator[BenchServer]:
    """`history_dir`: serve an existing data dir (e.g. one holding a generated history) and keep it afterwards.
    `as_owner`: serve as the tables' owner, which row security does not restrict (bench/row_security.py)."""
    data_dir = history_dir or Path(tempfile.mkdtemp(prefix="accord-bench-"))
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "ACCORD_APP_DB_USER"}}
    env.update({"ACCORD_DATA_DIR": str(data_dir), "ACCORD_LOG_LEVEL": "warning"})
    if as_owner:
        env["ACCORD_APP_DB_USER"] = "postgres"  # the embedded server's superuser, which owns the tables
    subprocess.run([ACCORD, "migrate"], env=env, capture_output=True, check=True, timeout=120)
    conf_path = data_dir / "pgdata" / "postgresql.conf"
    with conf_path.open("a") as conf:
        if "pg_stat_statements" not in conf_path.read_text():
            conf.write("\nshared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'top'\n")
    port = free_port()
    process = subprocess.Popen(
        [ACCORD, "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = BenchServer(base_url=f"http://127.0.0.1:{port}", env=env, data_dir=data_dir, process=process)
    try:
        _wait_ready(f"{server.base_url}/health/ready", process)
        yield server
    finally:
        _stop(process)
        if history_dir is None:
            shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def bare_server(http: str = "httptools") -> Iterator[str]:
    """The bare app on uvicorn with the loop, parser and worker count `accord serve` uses (`http`: uvicorn's
    protocol, or an import path to one such as Accord's own)."""
    port = free_port()
    process = subprocess.Popen(
        [str(BIN / "uvicorn"), "bench.bare_app:create_bare_app", "--factory", "--port", str(port),
         "--loop", "uvloop", "--http", http, "--log-level", "warning", "--no-access-log"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_ready(f"http://127.0.0.1:{port}/constant", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


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
