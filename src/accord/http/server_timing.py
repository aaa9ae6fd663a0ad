"""`Server-Timing: app;dur=<ms>` on the responses of routes: the time Accord spent, without the network and the
client, for operators' dashboards and the benchmarks' "server time" figures. (Responses Litestar writes outside
the route's middleware, such as 404 for an unknown path, don't carry it.)

Two halves, so that `send` is not wrapped once more per request: the middleware only notes when the request
reached the route, and the app's `before_send` hook (which Litestar runs on every response anyway) writes the
header from that note.
"""

from __future__ import annotations

import time

from litestar.types import ASGIApp, Receive, Scope, Send

_STARTED_KEY = "accord.started"


class ServerTimingMiddleware:
    """Plain ASGI (no per-request bypass checks): it runs first on every route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[_STARTED_KEY] = time.perf_counter()  # type: ignore[literal-required]
        await self.app(scope, receive, send)


def add_server_timing(headers: list[tuple[bytes, bytes]], scope: Scope) -> None:
    """Appends the header to a response start message's headers when the route's middleware noted a start."""
    started = scope.get(_STARTED_KEY)
    if isinstance(started, float):
        headers.append((b"server-timing", b"app;dur=%.2f" % ((time.perf_counter() - started) * 1000)))
