"""One socket write per response instead of two.

uvicorn writes the status line and headers as soon as the app sends `http.response.start`, and the body on
`http.response.body`: two `send` system calls, and on loopback two passes through the TCP stack, for every
response. Nearly every Accord response is one body of known length that follows its start message at once, so
the head is held back and written together with that body. Responses without a Content-Length (streams, such as
the event stream, whose first chunk may come much later) keep uvicorn's behaviour: their head goes out at once.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import RequestResponseCycle


class _HeldHead:
    """Stands in for the transport while uvicorn writes a response's head, keeping the bytes."""

    __slots__ = ("data",)

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


class _WithHead:
    """Stands in for the transport while uvicorn writes the first body: one write, head and body together."""

    __slots__ = ("head", "transport")

    def __init__(self, transport: Any, head: bytes) -> None:
        self.transport = transport
        self.head = head

    def write(self, data: bytes) -> None:
        head, self.head = self.head, b""
        self.transport.write(head + data if head else data)

    def flush(self) -> None:
        if self.head:
            self.write(b"")

    def close(self) -> None:
        # A response with `Connection: close` and nothing written for its body (HEAD): the head goes first.
        self.flush()
        self.transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.transport, name)


def _has_content_length(message: Any) -> bool:
    return any(name.lower() == b"content-length" for name, _ in message.get("headers", ()))


class CoalescingCycle(RequestResponseCycle):
    """uvicorn's request-response cycle, writing a fixed-length response's head with its first body chunk."""

    _held_head = b""

    async def send(self, message: Any) -> None:
        kind = message["type"]
        if kind == "http.response.start" and not self.response_started and _has_content_length(message):
            transport, held = self.transport, _HeldHead()
            self.transport = cast(asyncio.Transport, held)  # uvicorn only writes the head to it
            try:
                await super().send(message)
            finally:
                self.transport = transport
            self._held_head = held.data
            return
        if not self._held_head:
            await super().send(message)
            return
        transport = self.transport
        with_head = _WithHead(transport, self._held_head)
        self._held_head = b""
        self.transport = cast(asyncio.Transport, with_head)
        try:
            await super().send(message)
            # No body bytes were written (a HEAD response): the head still goes out.
            if not self.disconnected:
                with_head.flush()
        finally:
            self.transport = transport
