"""Run uvicorn on a listening socket bound beforehand: in this process, or in supervised workers."""

from __future__ import annotations

import os
import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

from accord.serving.metrics_directory import forget_worker

# Set for the workers: the pid of the master they must not outlive (see accord.serving.worker).
SUPERVISOR_PID_ENV = "ACCORD_SUPERVISOR_PID"


class _Supervisor(Multiprocess):
    """uvicorn's worker supervisor, except that it stops listening as soon as it is told to stop.

    The master holds a copy of the listening socket so it can start replacement workers. uvicorn keeps it
    open until the master exits, so while the workers finish their requests the kernel still accepts new
    connections that no process will ever serve; their clients get a reset after sending the request.
    Closed here, new connections are refused once the workers close their own copies (at the start of
    their graceful shutdown): a clean failure the client knows was never processed.
    """

    def handle_int(self) -> None:
        self._stop_listening()
        super().handle_int()

    def handle_term(self) -> None:
        self._stop_listening()
        super().handle_term()

    def _stop_listening(self) -> None:
        for sock in self.sockets:
            sock.close()

    # uvicorn replaces a dead or hung worker (and every worker on SIGHUP); the replaced ones' live gauges go.
    def keep_subprocess_alive(self) -> None:
        before = {process.pid for process in self.processes}
        super().keep_subprocess_alive()
        self._forget_replaced(before)

    def restart_all(self) -> None:
        before = {process.pid for process in self.processes}
        super().restart_all()
        self._forget_replaced(before)

    def _forget_replaced(self, before: set[int | None]) -> None:
        for pid in before - {process.pid for process in self.processes}:
            forget_worker(pid)


def run(config: uvicorn.Config, listener: socket.socket) -> bool:
    """Serve until a signal says stop; returns whether the server ever started."""
    if config.workers <= 1:
        os.environ.pop(SUPERVISOR_PID_ENV, None)  # this process serves: nobody to outlive
        server = uvicorn.Server(config)
        server.run(sockets=[listener])
        return server.started
    os.environ[SUPERVISOR_PID_ENV] = str(os.getpid())
    _Supervisor(config, sockets=[listener]).run()
    return True
