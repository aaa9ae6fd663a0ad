"""`accord serve` as a real process: start-up on the embedded PostgreSQL, the banner, and clean shutdown."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

pytestmark = pytest.mark.e2e

ACCORD = Path(sys.executable).parent / "accord"
READY_SECONDS = 60.0
STOP_SECONDS = 15.0


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    stderr_path: Path

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def demo_key(self) -> str:
        match = re.search(r"demo API key\s+(\S+)", self.stderr)
        assert match, self.stderr
        return match.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env.update(ACCORD_DATA_DIR=str(data_dir), ACCORD_LOG_LEVEL="warning", **overrides)
    return env


def _launch(env: dict[str, str], log_dir: Path, *args: str) -> Server:
    port = _free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    stderr_path = log_dir / f"serve-{port}.stderr"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [str(ACCORD), "serve", "--port", str(port), *args],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return Server(process=process, base_url=f"http://127.0.0.1:{port}", stderr_path=stderr_path)


def _wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"accord serve exited with {server.process.returncode}:\n{server.stderr}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.base_url}/health/ready", timeout=2.0).status_code == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"accord serve was not ready within {READY_SECONDS} s:\n{server.stderr}")


def _stop(server: Server, sig: signal.Signals = signal.SIGTERM) -> int:
    """Send `sig` and wait for the exit; returns the exit code."""
    server.process.send_signal(sig)
    try:
        return server.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"accord serve did not exit within {STOP_SECONDS} s of {sig.name}:\n{server.stderr}")


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop a server the test left running: politely first, then it and its workers for good."""
    if process.poll() is not None:
        return
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
        return
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process(process.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                child.kill()
    process.kill()
    process.wait(timeout=STOP_SECONDS)


@contextlib.contextmanager
def running(env: dict[str, str], log_dir: Path, *args: str) -> Iterator[Server]:
    """A ready `accord serve`; killed (with its workers) on the way out if the test did not stop it."""
    server = _launch(env, log_dir, *args)
    try:
        _wait_ready(server)
        yield server
    finally:
        _end(server.process)


def _postgres_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "postgres" in (process.info["name"] or "") and str(data_dir) in cmdline:
            found.append(process)
    return found


def _wait_no_postgres(data_dir: Path, seconds: float = 10.0) -> list[psutil.Process]:
    """The postgres processes still alive for `data_dir` after up to `seconds` (the postmaster may lag)."""
    deadline = time.monotonic() + seconds
    while (left := _postgres_processes(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def _stop_postgres(data_dir: Path) -> None:
    processes = _postgres_processes(data_dir)
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A fresh ACCORD_DATA_DIR; whatever postgres a test leaves behind for it is stopped afterwards."""
    directory = tmp_path / "accord-data"
    try:
        yield directory
    finally:
        _stop_postgres(directory)


def _me(server: Server, key: str) -> httpx.Response:
    return httpx.get(f"{server.base_url}/api/me", headers={"Authorization": f"Bearer {key}"}, timeout=5.0)


def test_serve_starts_an_embedded_database_and_prints_a_working_demo_key(data_dir: Path, tmp_path: Path) -> None:
    with running(_environment(data_dir), tmp_path) as server:
        output = server.stderr
        assert f"Accord is starting on {server.base_url}" in output
        assert re.search(r"admin login\s+admin / \S+", output), output

        response = _me(server, server.demo_key())

        assert response.status_code == 200
        assert response.json()["tenant"]["slug"] == "demo"


def test_sigterm_stops_the_server_and_its_database(data_dir: Path, tmp_path: Path) -> None:
    with running(_environment(data_dir), tmp_path) as server:
        assert _postgres_processes(data_dir)

        # The SIGTERM handler exits normally, so atexit (which stops the embedded server) runs.
        assert _stop(server) == 0

    assert _wait_no_postgres(data_dir) == []


def test_restart_after_kill_9_reuses_the_orphaned_database(data_dir: Path, tmp_path: Path) -> None:
    env = _environment(data_dir)
    with running(env, tmp_path) as first:
        demo_key = first.demo_key()
        _stop(first, signal.SIGKILL)
    assert _postgres_processes(data_dir), "after kill -9 the embedded postgres is expected to be orphaned"

    with running(env, tmp_path) as second:
        assert second.demo_key() == demo_key
        assert _me(second, demo_key).status_code == 200

        assert _stop(second) == 0

    assert _wait_no_postgres(data_dir) == []


def test_serve_with_two_workers(data_dir: Path, tmp_path: Path) -> None:
    with running(_environment(data_dir), tmp_path, "--workers", "2") as server:
        workers = [
            child
            for child in psutil.Process(server.process.pid).children()
            if "spawn_main" in " ".join(child.cmdline())
        ]
        assert len(workers) == 2
        assert _me(server, server.demo_key()).status_code == 200

        assert _stop(server) == 0

    assert not any(worker.is_running() for worker in workers)
    assert _wait_no_postgres(data_dir) == []


def test_serve_on_an_external_database_that_is_migrated(data_dir: Path, tmp_path: Path) -> None:
    env = _environment(data_dir, DATABASE_URL=os.environ["DATABASE_URL"], ACCORD_MIGRATE_ON_START="false")

    with running(env, tmp_path) as server:
        assert "demo API key" not in server.stderr
        assert _stop(server) == 0  # a graceful SIGTERM exits 0 with an external database too

    assert not (data_dir / "pgdata").exists()


def test_serve_refuses_a_database_url_that_is_not_postgresql(data_dir: Path) -> None:
    result = subprocess.run(
        [str(ACCORD), "serve", "--port", str(_free_port())],
        env=_environment(data_dir, DATABASE_URL="mysql://x"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL is not a PostgreSQL URL" in result.stderr
