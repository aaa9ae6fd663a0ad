"""The listening socket, bound before anything else starts so a busy port fails fast and says who holds it."""

from __future__ import annotations

import contextlib
import errno
import socket

import psutil

from accord.serving.supervisor import SUPERVISOR_PID_ENV


class ListenError(Exception):
    """The address can't be bound; the message says why in one line."""


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind (not yet listen on) `host:port` the way uvicorn does; uvicorn listens on it later.

    Binding first, before the embedded database starts, means a second `accord serve` on a busy port exits
    without touching the database the first one uses.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family=family)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(f"port {port} is in use by {_holder_of(port)}") from exc
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def _holder_of(port: int) -> str:
    """The process listening on `port`, as far as this user may see it."""
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return _describe(psutil.Process(conn.pid))
    return "another process"


def _describe(process: psutil.Process) -> str:
    try:
        supervisor = _supervisor_of(process)
        if supervisor is not None:
            # A worker of `accord serve` shares its master's socket: name the master, the process to stop.
            if process.ppid() != supervisor:
                return f"pid {process.pid} (an accord serve worker whose master, pid {supervisor}, has exited)"
            process = psutil.Process(supervisor)
        command = " ".join(process.cmdline()) or process.name()
    except psutil.Error:
        return f"pid {process.pid}"
    if len(command) > 120:
        command = command[:117] + "..."
    return f"pid {process.pid} ({command})"


def _supervisor_of(process: psutil.Process) -> int | None:
    try:
        value = process.environ().get(SUPERVISOR_PID_ENV)
    except psutil.Error:  # another user's process: its environment is private
        return None
    supervisor = int(value) if value and value.isdigit() else None
    return None if supervisor == process.pid else supervisor  # the master itself
