"""Test set-up: one embedded PostgreSQL per run, a fresh database built through the migrations, emptied
after every test. DATABASE_URL is exported before any test module imports the tables (Piccolo binds them
to piccolo_conf's engine at import)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import asyncpg
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE = "accord_test"
T = TypeVar("T")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("ACCORD_APP_DB_USER", None)
    os.environ.pop("ACCORD_APP_DB_PASSWORD", None)
    from accord.db.embedded import start_embedded_postgres

    data_dir = Path(os.environ.get("ACCORD_TEST_DATA_DIR", REPO_ROOT / ".accord" / "test"))
    server = start_embedded_postgres(data_dir)
    server._server.psql(f"DROP DATABASE IF EXISTS {TEST_DATABASE} WITH (FORCE);")
    server._server.psql(f"CREATE DATABASE {TEST_DATABASE};")
    url = server._server.get_uri(TEST_DATABASE)
    os.environ["DATABASE_URL"] = url
    # The app connects as the role row security restricts, as `accord serve` does with the embedded server.
    from accord.db.url import APP_ROLE

    os.environ["ACCORD_APP_DB_USER"] = APP_ROLE
    config.stash[_SERVER_KEY] = server

    from accord.db.migrations import apply_migrations

    asyncio.run(apply_migrations())


_SERVER_KEY = pytest.StashKey[Any]()


def run_async(func: Callable[..., Awaitable[T]], *args: Any) -> T:
    """`asyncio.run(func(*args))`, also while Playwright's sync API is open: it marks its own loop as running on
    this thread between calls, so there the coroutine runs on a fresh loop in a helper thread instead."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(func(*args))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(func(*args))).result()


_EMPTYING: list[str] = []  # the statement that empties every table, built on first use (tables are fixed)


async def _empty_everything() -> None:
    """Every table emptied, as TRUNCATE would, at a quarter of its cost: TRUNCATE makes new files for each of
    ~60 tables and their indexes after every test. The locks are TRUNCATE's, so a live server's worker still
    writing waits, and nothing it commits survives; the replica role skips foreign-key checks and the audit
    triggers. Sequences keep counting: positions only order rows."""
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        if not _EMPTYING:
            tables = await connection.fetch(
                "SELECT quote_ident(tablename) AS name FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'migration' ORDER BY tablename"
            )
            names = [row["name"] for row in tables]
            deletes = " ".join(f"DELETE FROM {name};" for name in names)
            _EMPTYING.append(
                "BEGIN; SET LOCAL session_replication_role = replica;"
                f" LOCK TABLE {', '.join(names)} IN ACCESS EXCLUSIVE MODE; {deletes} COMMIT;"
            )
        await connection.execute(_EMPTYING[0])
    finally:
        await connection.close()


@pytest.fixture(autouse=True)
def _empty_database_after_test() -> Iterator[None]:
    yield
    run_async(_empty_everything)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def app() -> Any:
    from accord.app import create_app
    from accord.settings import load_settings

    app = create_app(load_settings())
    # Everything imported and built so far lives for the whole run: keep it out of the collector's full passes,
    # which otherwise walk it again and again (a fifth of a test run's time).
    gc.collect()
    gc.freeze()
    return app


@pytest.fixture
def client(app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(app) as test_client:
        yield test_client
    app.state.auth_throttle.clear()  # every test's requests come from "testclient": don't carry failures over
    app.state.login_throttle.clear()


Runner = Callable[[Callable[..., Awaitable[T]]], T]


@pytest.fixture
def run(client: Any) -> Callable[..., Any]:
    """Run a coroutine function on the app's event loop (where its connection pool lives)."""

    def run_on_app_loop(func: Callable[..., Awaitable[Any]], *args: Any) -> Any:
        return client.blocking_portal.call(func, *args)

    return run_on_app_loop


@pytest.fixture
def tenant_a(run: Callable[..., Any]) -> Any:
    from tests.factories import make_tenant

    return run(make_tenant, "tenant-a")


@pytest.fixture
def tenant_b(run: Callable[..., Any]) -> Any:
    from tests.factories import make_tenant

    return run(make_tenant, "tenant-b")


@pytest.fixture
def empty_database_url(pytestconfig: pytest.Config) -> Iterator[str]:
    """A second, empty database on the test server (no migrations applied)."""
    server = pytestconfig.stash[_SERVER_KEY]._server
    server.psql("DROP DATABASE IF EXISTS accord_empty WITH (FORCE);")
    server.psql("CREATE DATABASE accord_empty;")
    yield str(server.get_uri("accord_empty"))
    server.psql("DROP DATABASE IF EXISTS accord_empty WITH (FORCE);")


class LiveServer:
    """A real `accord serve` on loopback, against the test database, for clients that need a socket."""

    def __init__(self, base_url: str, process: Any, log: Path) -> None:
        self.base_url = base_url
        self.process = process
        self.log = log  # its stdout and stderr (the start banner among them)


@contextlib.contextmanager
def serve_accord(log_dir: Path, **extra_env: str) -> Iterator[LiveServer]:
    """Run `accord serve` on a free loopback port with the test environment plus `extra_env`."""
    with running_server(log_dir / "server.log", **extra_env) as server:
        yield server


@contextlib.contextmanager
def running_server(
    log: Path, log_level: str = "warning", ready_seconds: float = 30, **extra_env: str
) -> Iterator[LiveServer]:
    """`accord serve` on a free port, writing its output to `log`; stopped with SIGTERM on exit."""
    import signal
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "ACCORD_MIGRATE_ON_START": "false", "ACCORD_LOG_LEVEL": log_level, **extra_env}
    with log.open("wb") as output:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "accord"), "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + ready_seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"accord serve exited: {log.read_text()}")
        time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError(f"accord serve did not become ready: {log.read_text()}")
    try:
        yield LiveServer(base_url, process, log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Module-scoped: tables are emptied after each test, so make tenants per test with `live_tenant`."""
    with running_server(tmp_path_factory.mktemp("live-server") / "server.log") as server:
        yield server


@pytest.fixture
def live_tenant(live_server: LiveServer) -> Any:
    """A tenant with admin/write/read keys, made directly in the database (no TestClient involved)."""
    from tests.factories import make_tenant

    return run_async(make_tenant, "live")


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh ACCORD_DATA_DIR for an `accord serve` subprocess; its leftover postgres is stopped afterwards."""
    from tests.serve_process import stop_postgres

    directory = tmp_path / "accord-data"
    try:
        yield directory
    finally:
        stop_postgres(directory)
