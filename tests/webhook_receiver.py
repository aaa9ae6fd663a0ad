"""A real HTTP server on loopback that records what webhooks send it and answers as a test tells it to."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (status, seconds to wait before answering, extra headers) for the n-th request (0-based).
Plan = Callable[[int], tuple[int, float, dict[str, str]]]


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.received: list[Received] = []
        self._lock = threading.Condition()
        self.url = ""

    def record(self, request: Received) -> int:
        with self._lock:
            self.received.append(request)
            self._lock.notify_all()
            return len(self.received) - 1

    def wait_for(self, count: int, timeout: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"expected {count} requests, got {len(self.received)}: {self.received}")
                self._lock.wait(left)
            return list(self.received)


def always(status: int = 200) -> Plan:
    return lambda index: (status, 0.0, {})


def statuses(*sequence: int) -> Plan:
    """The given statuses in turn, then 200."""
    return lambda index: (sequence[index] if index < len(sequence) else 200, 0.0, {})


@contextlib.contextmanager
def running_receiver(plan: Plan | None = None) -> Iterator[Receiver]:
    receiver = Receiver(plan or always())

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            index = receiver.record(Received(self.command, self.path, dict(self.headers.items()), body))
            status, delay, headers = receiver.plan(index)
            if delay:
                time.sleep(delay)
            payload = b'{"received": true}'
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:
                pass  # the sender gave up waiting

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
