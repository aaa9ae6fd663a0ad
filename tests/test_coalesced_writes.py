"""The serving protocol writes a fixed-length response in one socket write (head and body together), and keeps
uvicorn's behaviour where that would delay or lose bytes: streams get their head at once, HEAD responses and
`Connection: close` still get theirs. Driven through the real protocol class with a transport that records
writes, as uvicorn's own protocol tests do."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from uvicorn.config import Config
from uvicorn.server import ServerState

from accord.serving.protocol import DrainingHttpToolsProtocol

pytestmark = pytest.mark.anyio


class RecordingTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass


BODY = b'{"status":"ok"}'


class App:
    """A fixed-length JSON response, or at /stream a stream whose first chunk waits for `released`."""

    def __init__(self) -> None:
        self.released = asyncio.Event()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["path"] == "/stream":
            await self.stream(send)
            return
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": BODY, "more_body": False})

    async def stream(self, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await self.released.wait()
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def serve(request: bytes, app: App | None = None) -> tuple[DrainingHttpToolsProtocol, RecordingTransport]:
    config = Config(app=app or App(), loop="asyncio", http="httptools", lifespan="off", log_level="warning")
    protocol = DrainingHttpToolsProtocol(config=config, server_state=ServerState(), app_state={})
    transport = RecordingTransport()
    protocol.connection_made(transport)
    protocol.data_received(request)
    await settle()
    return protocol, transport


def request(method: str, path: str, *extra: str) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: accord", *extra, "", ""]
    return "\r\n".join(lines).encode()


async def test_a_response_of_known_length_is_one_write() -> None:
    _, transport = await serve(request("GET", "/one"))
    assert len(transport.writes) == 1
    head, _, body = transport.writes[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"content-length: 15" in head
    assert body == BODY
    assert not transport.closed


async def test_keep_alive_responses_each_are_one_write() -> None:
    protocol, transport = await serve(request("GET", "/one"))
    protocol.data_received(request("GET", "/two"))
    await settle()
    assert len(transport.writes) == 2
    assert all(w.startswith(b"HTTP/1.1 200 OK\r\n") and w.endswith(BODY) for w in transport.writes)


async def test_head_request_gets_its_head_without_a_body() -> None:
    _, transport = await serve(request("HEAD", "/one"))
    assert len(transport.writes) == 1
    assert transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert transport.writes[0].endswith(b"\r\n\r\n")


async def test_connection_close_writes_the_response_before_closing() -> None:
    _, transport = await serve(request("GET", "/one", "Connection: close"))
    assert transport.closed
    assert b"".join(transport.writes).endswith(BODY)
    assert b"connection: close" in b"".join(transport.writes).lower()


async def test_a_stream_gets_its_head_before_its_first_chunk() -> None:
    app = App()
    protocol, transport = await serve(request("GET", "/stream"), app)
    # The app has sent only its start message: a client waiting for the head (an event stream) must have it.
    assert len(transport.writes) == 1
    assert transport.writes[0].startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"transfer-encoding: chunked" in transport.writes[0]
    app.released.set()
    await settle()
    assert b"".join(transport.writes).endswith(b"5\r\nfirst\r\n0\r\n\r\n")
    assert protocol.cycle is not None
    assert protocol.cycle.response_complete
