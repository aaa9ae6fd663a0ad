"""`Server-Timing: app;dur=<ms>` on the responses of routes: the time Accord spent, without the network and the
client, for operators' dashboards and the benchmarks' "server time" figures. (Responses Litestar writes outside
the route's middleware, such as 404 for an unknown path, don't carry it.)

Two halves, so that `send` is not wrapped once more per request: RequestStartMiddleware (accord.http.
request_start) notes when the request reached the route, and the app's `before_send` hook (which Litestar runs
on every response anyway) writes the header from that note, and hands the same note to the metrics.
"""

from __future__ import annotations

import time

STARTED_KEY = "accord.started"


def add_server_timing(headers: list[tuple[bytes, bytes]], started: float | None) -> None:
    """Appends the header to a response start message's headers when the route's middleware noted a start."""
    if started is not None:
        headers.append((b"server-timing", b"app;dur=%.2f" % ((time.perf_counter() - started) * 1000)))
