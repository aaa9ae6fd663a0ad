"""`accord serve` as a real process: start-up on the embedded PostgreSQL, the banner, and clean shutdown."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import httpx
import psutil
import pytest

from tests.serve_process import (
    ACCORD,
    Server,
    environment,
    free_port,
    postgres_processes,
    running,
    stop,
    wait_no_postgres,
)

pytestmark = pytest.mark.e2e


def _me(server: Server, key: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/api/me", headers={"Authorization": f"Bearer {key}"}, timeout=5.0)


def test_serve_starts_an_embedded_database_and_prints_a_working_demo_key(data_dir: Path, tmp_path: Path) -> None:
    with running(environment(data_dir), tmp_path) as server:
        output = server.stderr
        assert f"Accord is starting on {server.base_url}" in output
        assert re.search(r"admin login\s+admin / \S+", output), output

        response = _me(server, server.demo_key())

        assert response.status_code == 200
        assert response.json()["tenant"]["slug"] == "demo"
        # The dashboard's demo user (owner of the demo tenant) logs in with the printed password.
        login = re.search(r"dashboard login (demo@example\.com) / (\S+)", output)
        assert login, output
        with httpx.Client(base_url=server.base_url, timeout=5.0) as browser:
            form = browser.get("/login").text
            csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert csrf
            logged_in = browser.post(
                "/login", data={"csrf_token": csrf.group(1), "email": login.group(1), "password": login.group(2)}
            )
            assert logged_in.status_code == 303
            assert "Demo (owner)" in browser.get("/ui/account").text


def test_sigterm_stops_the_server_and_its_database(data_dir: Path, tmp_path: Path) -> None:
    with running(environment(data_dir), tmp_path) as server:
        assert postgres_processes(data_dir)

        # The SIGTERM handler exits normally, so atexit (which stops the embedded server) runs.
        assert stop(server) == 0

    assert wait_no_postgres(data_dir) == []


def test_restart_after_kill_9_reuses_the_orphaned_database(data_dir: Path, tmp_path: Path) -> None:
    env = environment(data_dir)
    with running(env, tmp_path) as first:
        demo_key = first.demo_key()
        stop(first, signal.SIGKILL)
    assert postgres_processes(data_dir), "after kill -9 the embedded postgres is expected to be orphaned"

    with running(env, tmp_path) as second:
        assert second.demo_key() == demo_key
        assert _me(second, demo_key).status_code == 200

        assert stop(second) == 0

    assert wait_no_postgres(data_dir) == []


def test_serve_with_two_workers(data_dir: Path, tmp_path: Path) -> None:
    with running(environment(data_dir), tmp_path, "--workers", "2") as server:
        workers = [
            child
            for child in psutil.Process(server.process.pid).children()
            if "spawn_main" in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        assert _me(server, server.demo_key()).status_code == 200

        assert stop(server) == 0

    assert not any(worker.is_running() for worker in workers)
    assert wait_no_postgres(data_dir) == []


def test_serve_on_an_external_database_that_is_migrated(data_dir: Path, tmp_path: Path) -> None:
    env = environment(data_dir, DATABASE_URL=os.environ["DATABASE_URL"], ACCORD_MIGRATE_ON_START="false")

    with running(env, tmp_path) as server:
        assert "demo API key" not in server.stderr
        assert stop(server) == 0  # a graceful SIGTERM exits 0 with an external database too

    assert not (data_dir / "pgdata").exists()


def test_serve_refuses_a_database_url_that_is_not_postgresql(data_dir: Path) -> None:
    result = subprocess.run(
        [str(ACCORD), "serve", "--port", str(free_port())],
        env=environment(data_dir, DATABASE_URL="mysql://x"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL is not a PostgreSQL URL" in result.stderr
