"""The first middleware of every route: when the request reached it (Server-Timing, the latency histogram) and
which request it is (its id, for the log lines written while it runs)."""

from __future__ import annotations

import time

from litestar.types import ASGIApp, Receive, Scope, Send

from accord.http.server_timing import STARTED_KEY
from accord.observability.log_context import log_request
from accord.observability.request_ids import request_id_of


class RequestStartMiddleware:
    """Plain ASGI (no per-request bypass checks): it runs first on every route."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[STARTED_KEY] = time.perf_counter()  # type: ignore[literal-required]
        log_request(request_id_of(scope))
        await self.app(scope, receive, send)
