"""SIGTERM while clients hold keep-alive connections: every request that reaches the server is answered
(`Connection: close` once shutdown has begun), new connections are refused, and answered writes are
committed. A raw socket client, because the test must tell "no response" from "never sent"."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg
import pytest

from tests.factories import make_tenant
from tests.serve_process import Server, running, stop

if TYPE_CHECKING:  # imported by name, pytest would try to collect it as a test class
    from tests.factories import TestTenant

pytestmark = pytest.mark.e2e

# Generous for a loaded 2-core machine; well below the 10 s graceful-shutdown window, after which the old
# behaviour also ends up refusing connections.
REFUSED_WITHIN_SECONDS = 8.0
IO_TIMEOUT_SECONDS = 20.0


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)

    def json(self) -> dict[str, object]:
        return dict(json.loads(self.body))


class NoResponse(AssertionError):
    """The connection ended before a complete response; says how many response bytes came first."""


class Connection:
    """One HTTP/1.1 keep-alive connection, byte by byte."""

    def __init__(self, port: int, key: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_SECONDS)
        self.key = key
        self.pending = b""

    def start(self, method: str, path: str, body: bytes = b"") -> None:
        head = f"{method} {path} HTTP/1.1\r\nHost: accord\r\nAuthorization: Bearer {self.key}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.sock.sendall((head + "\r\n").encode())

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def send_request(self, method: str, path: str, body: bytes = b"") -> None:
        try:
            self.start(method, path, body)
            self.send(body)
        except OSError as exc:
            raise NoResponse(f"the server closed the connection before the request was sent: {exc!r}") from exc

    def request(self, method: str, path: str, body: bytes = b"") -> Response:
        self.send_request(method, path, body)
        return self.response()

    def response(self) -> Response:
        received = self.pending
        try:
            while b"\r\n\r\n" not in received:
                received += self._recv(received)
            head, _, body = received.partition(b"\r\n\r\n")
            status_line, *lines = head.decode("latin-1").split("\r\n")
            headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
            length = int(headers.get("content-length", "0"))
            while len(body) < length:
                body += self._recv(received + body)
        except OSError as exc:
            raise NoResponse(f"{exc!r} after {len(received)} response bytes") from exc
        self.pending = body[length:]
        return Response(status=int(status_line.split()[1]), headers=headers, body=body[:length])

    def _recv(self, so_far: bytes) -> bytes:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise NoResponse(f"connection closed after {len(so_far)} response bytes")
        return chunk

    def close(self) -> None:
        self.sock.close()


@contextlib.contextmanager
def connections(port: int, key: str, count: int) -> Iterator[list[Connection]]:
    opened = [Connection(port, key) for _ in range(count)]
    try:
        yield opened
    finally:
        for connection in opened:
            connection.close()


def _interaction(consumer: str) -> bytes:
    return json.dumps(
        {
            "consumer": consumer,
            "consumer_version": "1.0.0",
            "provider": "orders",
            "request": {"method": "GET", "path": "/orders/1"},
            "response": {"status": 200, "body": {"id": 1}},
        }
    ).encode()


def _refused_within(port: int, seconds: float) -> bool:
    """Whether new connections get refused within `seconds` (probes that connect send nothing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            probe = socket.create_connection(("127.0.0.1", port), timeout=IO_TIMEOUT_SECONDS)
        except ConnectionRefusedError:
            return True
        probe.close()
        time.sleep(0.05)
    return False


async def _committed(ids: list[str]) -> set[str]:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        rows = await connection.fetch("SELECT id::text FROM interaction WHERE id::text = ANY($1::text[])", ids)
    finally:
        await connection.close()
    return {row["id"] for row in rows}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`accord serve --workers 2` on the test database (so the test can check commits after it exits)."""
    env = {**os.environ, "ACCORD_MIGRATE_ON_START": "false", "ACCORD_LOG_LEVEL": "warning"}
    with running(env, tmp_path, "--workers", "2") as started:
        yield started


@pytest.fixture
def tenant() -> TestTenant:
    return asyncio.run(make_tenant("graceful"))


def test_sigterm_answers_every_request_on_open_keep_alive_connections(server: Server, tenant: TestTenant) -> None:
    key = tenant.write_key
    with connections(server.port, key, 3) as idle, connections(server.port, key, 3) as slow:
        for connection in [*idle, *slow]:
            assert connection.request("GET", "/api/me").status == 200  # served: kept alive by a worker
        # A write in flight on each slow connection: headers and half the body sent before the signal.
        bodies = [_interaction(f"slow-{n}") for n in range(len(slow))]
        for connection, body in zip(slow, bodies, strict=True):
            connection.start("POST", "/api/interactions", body)
            connection.send(body[: len(body) // 2])

        server.process.send_signal(signal.SIGTERM)

        # Shutdown has begun once nothing accepts new connections (not even the master's copy of the socket).
        assert _refused_within(server.port, REFUSED_WITHIN_SECONDS)
        # An idle connection is still open for a request sent now: answered, and told to close. (Everything
        # is sent before any response is read, so a slow response can't push a send past the drain.)
        idle[0].send_request("POST", "/api/interactions", _interaction("late-0"))
        idle[1].send_request("GET", "/api/me")
        idle[2].send_request("POST", "/api/interactions", _interaction("late-2"))
        for connection, body in zip(slow, bodies, strict=True):
            connection.send(body[len(body) // 2 :])
        late = [connection.response() for connection in idle]
        in_flight = [connection.response() for connection in slow]

        for response in [*late, *in_flight]:
            assert 200 <= response.status < 300, response
            assert response.headers.get("connection") == "close", response
        assert stop(server) == 0

    written = [str(response.json()["id"]) for response in [late[0], late[2], *in_flight]]
    assert asyncio.run(_committed(written)) == set(written)
