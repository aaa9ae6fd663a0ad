"""Accord's Prometheus metrics, and their recording on every response.

With several uvicorn workers each is a process of its own: `accord serve` then points PROMETHEUS_MULTIPROC_DIR
at a fresh directory before they start, prometheus-client keeps every worker's values in files there, and a
scrape (answered by any one worker) adds them up. The pool gauges use `livesum`: the sum over live workers.

Requests are counted from the app's `before_send` hook (accord.http.response_start), which Litestar runs on
every response anyway, so recording costs no extra wrapper of `send`. Labels are the route's template
(`/api/services/{name:str}`), never the raw path, so ids in paths add no series; the children for a (route,
method, status) are looked up once and kept.
"""

from __future__ import annotations

import time

from litestar.types import HTTPResponseStartEvent, Scope
from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics

# `*_created` series (a timestamp per counter and histogram) double the output and say little here.
disable_created_metrics()  # type: ignore[no-untyped-call]

REQUESTS = Counter(
    "accord_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "accord_http_request_duration_seconds",
    "Time from the route's first middleware until the response starts, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_CONNECTIONS = Gauge(
    "accord_db_pool_connections",
    "Database pool connections, open and in use (summed over live workers).",
    ["state"],
    multiprocess_mode="livesum",
)
POOL_MAX = Gauge(
    "accord_db_pool_max_connections", "Largest pool size (summed over live workers).", multiprocess_mode="livesum"
)
RATE_LIMITED = Counter("accord_rate_limited_requests", "Requests refused by the per-key rate limit (429).")

# A client may send any method; anything else is one label value.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_UNMATCHED = "unmatched"  # no route (Litestar's own 404/405)

_children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}


def _children_for(route: str, method: str, status: int) -> tuple[Counter, Histogram]:
    method = method if method in _METHODS else "other"
    found = _children[(route, method, status)] = (
        REQUESTS.labels(route, method, str(status)),
        LATENCY.labels(route, method),
    )
    return found


def record_response(message: HTTPResponseStartEvent, scope: Scope, started: float | None) -> None:
    """On a response start message: count it, and time it from `started`, the perf_counter() the route's first
    middleware noted (None for responses no route's middleware saw)."""
    route = scope.get("path_template") or _UNMATCHED
    method: str = scope.get("method", "")  # type: ignore[assignment]
    status = message["status"]
    children = _children.get((route, method, status)) or _children_for(route, method, status)
    children[0].inc()
    if started is not None:
        children[1].observe(time.perf_counter() - started)


def sample_pool(size: int, in_use: int, max_size: int) -> None:
    POOL_CONNECTIONS.labels("open").set(size)
    POOL_CONNECTIONS.labels("in_use").set(in_use)
    POOL_MAX.set(max_size)
