"""Refuses, once and for every route, URL input that no handler could store: U+0000 in the path or the query
string. PostgreSQL rejects it in text, so without this each query would fail as a 500 instead of a 422."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from accord.errors import FieldError, InvalidInput

_NUL_DETAIL = "must not contain the NUL character (%00)"


class InputBoundaryMiddleware:
    """Plain ASGI: two substring scans in C per request, nothing else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The path arrives decoded, the query string still percent-encoded.
        if "\x00" in scope["path"]:
            raise InvalidInput("The URL path is not valid.", errors=[FieldError(detail=_NUL_DETAIL, parameter="path")])
        query: bytes = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            raise InvalidInput(
                "The query string is not valid.", errors=[FieldError(detail=_NUL_DETAIL, parameter="query")]
            )
        await self.app(scope, receive, send)
