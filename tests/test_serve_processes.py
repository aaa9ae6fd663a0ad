"""`accord serve` and its processes: workers never outlive their master, and a start that fails (busy
port) explains itself and leaves alone the database other processes use."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from tests.serve_process import ACCORD, Server, environment, kill_all, postgres_processes, running, stop

pytestmark = pytest.mark.e2e

# Generous for a loaded machine: a worker that outlives its master is gone within about a second here.
ORPHAN_EXIT_SECONDS = 20.0


@contextlib.contextmanager
def reaped(processes: list[psutil.Process]) -> Iterator[list[psutil.Process]]:
    """Processes the test may orphan: killed on the way out whatever happened (the server's own clean-up
    can't find them once their master is dead)."""
    try:
        yield processes
    finally:
        kill_all(processes)


def _me(server: Server, key: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/api/me", headers={"Authorization": f"Bearer {key}"}, timeout=5.0)


def _accord(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(ACCORD), *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def _postmaster_pid(data_dir: Path) -> int:
    return int((data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])


def _still_running(data_dir: Path, postmaster: int) -> bool:
    """Whether the same postmaster still serves `data_dir` (neither stopped nor restarted)."""
    pid_file = data_dir / "pgdata" / "postmaster.pid"
    return pid_file.exists() and _postmaster_pid(data_dir) == postmaster and postgres_processes(data_dir) != []


def _port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def test_a_second_server_on_a_busy_port_fails_clearly_and_leaves_the_first_alone(
    data_dir: Path, tmp_path: Path
) -> None:
    env = environment(data_dir)
    with running(env, tmp_path) as first:
        postmaster = _postmaster_pid(data_dir)

        result = _accord(env, "serve", "--port", str(first.port))

        assert result.returncode == 1
        expected = f"accord: error: port {first.port} is in use by pid {first.process.pid} ("
        assert result.stderr.startswith(expected), result.stderr
        assert "accord serve" in result.stderr
        assert result.stderr.strip().count("\n") == 0, result.stderr  # one line, no traceback
        assert _still_running(data_dir, postmaster)
        assert _me(first, first.demo_key()).status_code == 200


def test_workers_exit_with_their_master_and_are_users_of_the_database_until_then(
    data_dir: Path, tmp_path: Path
) -> None:
    env = environment(data_dir)
    with running(env, tmp_path, "--workers", "2") as server, reaped(server.workers()) as workers:
        assert len(workers) == 2
        postmaster = _postmaster_pid(data_dir)
        # One worker is frozen, so it can't act on its master's death yet: the orphan of the issue, held still.
        frozen, free = workers
        frozen.suspend()

        stop(server, signal.SIGKILL)

        _, alive = psutil.wait_procs([free], timeout=ORPHAN_EXIT_SECONDS)
        assert alive == [], "a worker kept running after its master was killed"

        busy = _accord(env, "serve", "--port", str(server.port))
        migrate = _accord(env, "migrate")

        assert busy.returncode == 1
        assert f"port {server.port} is in use by pid {frozen.pid} " in busy.stderr
        assert f"(an accord serve worker whose master, pid {server.process.pid}, has exited)" in busy.stderr
        assert migrate.returncode == 0, migrate.stderr
        # Neither command stopped the database under the remaining worker: it counts among its users.
        assert _still_running(data_dir, postmaster)

        frozen.resume()
        _, alive = psutil.wait_procs([frozen], timeout=ORPHAN_EXIT_SECONDS)
        assert alive == [], "a worker kept running after its master was killed"
        assert _port_is_free(server.port)
