"""The app's one `before_send` hook: on each response's start message, the headers every response carries
(security headers, Server-Timing, X-Request-ID) and its count and latency in the metrics.

One hook rather than one per concern: Litestar awaits every hook for every message of every response.
"""

from __future__ import annotations

from litestar.types import Message, Scope

from accord.http.security_headers import add_security_headers
from accord.http.server_timing import STARTED_KEY, add_server_timing
from accord.observability.metrics import record_response
from accord.observability.request_ids import request_id_of


async def on_response_start(message: Message, scope: Scope) -> None:
    if message["type"] != "http.response.start":
        return
    headers = message.get("headers")
    if not isinstance(headers, list):  # Litestar and Starlette build a fresh list per response: extend in place
        headers = message["headers"] = [*(headers or ())]
    add_security_headers(headers, scope)
    # Read once for the header and the histogram; None when no route's middleware noted a start.
    started = scope.get(STARTED_KEY)
    started = started if isinstance(started, float) else None
    add_server_timing(headers, started)
    # The id of a request no route took (Litestar's own 404) is made here.
    headers.append((b"x-request-id", request_id_of(scope).encode("latin-1")))
    record_response(message, scope, started)
