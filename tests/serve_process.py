"""`accord serve` as a real process, for the tests that start one: launch, wait, stop, and clean up."""

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

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def workers(self) -> list[psutil.Process]:
        """uvicorn's worker processes (multiprocessing's resource tracker is a child too, but not a worker)."""
        children = psutil.Process(self.process.pid).children()
        return [child for child in children if "spawn_main" in " ".join(child.cmdline())]

    def demo_key(self) -> str:
        match = re.search(r"demo API key\s+(\S+)", self.stderr)
        assert match, self.stderr
        return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(data_dir: Path, **overrides: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env.update(ACCORD_DATA_DIR=str(data_dir), ACCORD_LOG_LEVEL="warning", **overrides)
    return env


def launch(env: dict[str, str], log_dir: Path, *args: str, port: int | None = None) -> Server:
    port = port or free_port()
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


def wait_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"accord serve exited with {server.process.returncode}:\n{server.stderr}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.base_url}/health/ready", timeout=2.0).status_code == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"accord serve was not ready within {READY_SECONDS} s:\n{server.stderr}")


def stop(server: Server, sig: signal.Signals = signal.SIGTERM) -> int:
    """Send `sig` and wait for the exit; returns the exit code."""
    server.process.send_signal(sig)
    try:
        return server.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"accord serve did not exit within {STOP_SECONDS} s of {sig.name}:\n{server.stderr}")


def end(process: subprocess.Popen[bytes]) -> None:
    """Stop a server the test left running: politely first, then it and its workers for good."""
    descendants: list[psutil.Process] = []
    with contextlib.suppress(psutil.Error):
        descendants = psutil.Process(process.pid).children(recursive=True)
    if process.poll() is None:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_SECONDS)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=STOP_SECONDS)
    kill_all(descendants)


def kill_all(processes: list[psutil.Process]) -> None:
    """SIGKILL whichever of `processes` still run (stopped ones too) and wait for them."""
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(processes, timeout=STOP_SECONDS)


@contextlib.contextmanager
def running(env: dict[str, str], log_dir: Path, *args: str, port: int | None = None) -> Iterator[Server]:
    """A ready `accord serve`; killed (with its workers) on the way out if the test did not stop it."""
    server = launch(env, log_dir, *args, port=port)
    try:
        wait_ready(server)
        yield server
    finally:
        end(server.process)


def postgres_processes(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["name", "cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if "postgres" in (process.info["name"] or "") and str(data_dir) in cmdline:
            found.append(process)
    return found


def wait_no_postgres(data_dir: Path, seconds: float = 10.0) -> list[psutil.Process]:
    """The postgres processes still alive for `data_dir` after up to `seconds` (the postmaster may lag)."""
    deadline = time.monotonic() + seconds
    while (left := postgres_processes(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def stop_postgres(data_dir: Path) -> None:
    processes = postgres_processes(data_dir)
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(processes, timeout=10)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
