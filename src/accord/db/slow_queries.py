"""Statements slower than ACCORD_SLOW_QUERY_MS: one warning line and a count in the metrics, by name.

The name is where the statement ran (the repository method or other Accord function that asked for it) and its
first SQL word, never its text or its values: parameters can be anything a client sent. Finding the caller walks
the stack, which is only done for the rare slow statement; the fast path is two clock reads and a comparison.
"""

from __future__ import annotations

import logging
import sys
import time
from types import FrameType

from prometheus_client import Counter

logger = logging.getLogger(__name__)

# Defined here rather than with the request metrics (accord.observability.metrics): the database layer sits
# below observability, and the default registry serves every metric, wherever it was defined.
SLOW_QUERIES = Counter(
    "accord_db_slow_queries", "Database statements slower than ACCORD_SLOW_QUERY_MS, by where they ran.", ["statement"]
)

_threshold_seconds = 0.5
# Accord's own plumbing between a caller and the database (the engine, TenantRepository's base methods): the
# name is the first Accord frame past it (frames of other packages, Piccolo's query objects, are passed too).
_PLUMBING = "accord.db."


def set_threshold(milliseconds: float) -> None:
    """0 turns the report off."""
    global _threshold_seconds
    _threshold_seconds = milliseconds / 1000 if milliseconds > 0 else float("inf")


def check(started: float, sql: str | None) -> None:
    """Call after a statement (or a block of raw SQL) that began at `started` (time.perf_counter())."""
    elapsed = time.perf_counter() - started
    if elapsed >= _threshold_seconds:
        _report(elapsed, sql)


def _caller(frame: FrameType | None) -> str:
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module.startswith("accord.") and not module.startswith(_PLUMBING):
            return f"{module.removeprefix('accord.')}.{frame.f_code.co_qualname}"
        frame = frame.f_back
    return "unknown"


def _first_word(sql: str | None) -> str:
    word = sql.split(None, 1)[0] if sql and sql.strip() else ""
    return word.upper() if word.isalpha() else ""  # a template's "{}" or a comment names nothing


def _report(elapsed: float, sql: str | None) -> None:
    caller = _caller(sys._getframe(1))
    SLOW_QUERIES.labels(caller).inc()
    verb = _first_word(sql)
    logger.warning("slow query: %s took %.0f ms", f"{caller} ({verb})" if verb else caller, elapsed * 1000)
