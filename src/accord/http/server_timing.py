"""`Server-Timing: app;dur=<ms>` on the responses of routes: the time Accord spent, without the network and the
client, for operators' dashboards and the benchmarks' "server time" figures. (Responses Litestar writes outside
the route's middleware, such as 404 for an unknown path or a 401 from authentication, don't carry it.)"""

from __future__ import annotations

import time

from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send


class ServerTimingMiddleware(ASGIMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()

        async def send_with_timing(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed_ms = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed_ms:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await next_app(scope, receive, send_with_timing)
