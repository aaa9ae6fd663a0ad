"""uvicorn's httptools protocol with a cap on the request head (URL plus headers).

httptools buffers headers without limit, so a client could make every request carry megabytes of headers
(each worker holds them in memory, and every middleware reads them). Nginx and Node refuse far smaller heads;
this answers 431 and closes the connection as soon as the head grows past the cap, before the app sees it.
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_HEAD_BYTES = 32 * 1024

_BODY = (
    b'{"type":"urn:accord:problem:request-header-fields-too-large","title":"Request header fields too large",'
    b'"status":431,"detail":"The request line and headers together must stay under %d bytes."}' % MAX_HEAD_BYTES
)
_RESPONSE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
    b"content-type: application/problem+json\r\n"
    b"content-length: %d\r\n"
    b"connection: close\r\n\r\n" % len(_BODY)
) + _BODY


class HeadTooLarge(Exception):
    pass


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    _head_bytes = 0

    def on_message_begin(self) -> None:
        self._head_bytes = 0
        super().on_message_begin()

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_HEAD_BYTES:
            # httptools stops parsing and raises a parser error, which uvicorn answers in send_400_response.
            raise HeadTooLarge

    def on_url(self, url: bytes) -> None:
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def send_400_response(self, msg: str) -> None:
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refuse()
        else:
            super().send_400_response(msg)

    def _refuse(self) -> None:
        self.logger.warning("Request head over %d bytes refused (431).", MAX_HEAD_BYTES)
        if not self.transport.is_closing():
            self.transport.write(_RESPONSE)
            self.transport.close()
