"""Throttles failed API-key attempts per client, so guessing keys costs time instead of being free.

A client (the address uvicorn resolved, so a trusted proxy's `X-Forwarded-For` counts and anyone else's does
not) may fail `limit` times in a window; after that every authenticated request from it gets 429 until the
window ends, even with a valid key, so the answer never tells a guess apart. Other clients are unaffected.
Counts live in this process (each worker keeps its own), bounded in size.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from litestar.types import Scope

_MAX_CLIENTS = 100_000


class _Window:
    __slots__ = ("failures", "started")

    def __init__(self, started: float) -> None:
        self.started = started
        self.failures = 0


def client_address(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else ""


class FailedAuthThrottle:
    def __init__(self, *, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._window_seconds = window_seconds
        self._clock = clock
        # Insertion order is window-start order (a new window re-inserts), so expired windows sit at the front.
        self._windows: dict[str, _Window] = {}

    def retry_after(self, scope: Scope) -> int | None:
        """Seconds until this client may try again, or None when it may now."""
        if not self._windows:  # the usual case costs one truth test
            return None
        window = self._windows.get(client_address(scope))
        if window is None or window.failures < self._limit:
            return None
        remaining = window.started + self._window_seconds - self._clock()
        return math.ceil(remaining) if remaining > 0 else None

    def record_failure(self, scope: Scope) -> None:
        if self._limit <= 0:
            return
        client, now = client_address(scope), self._clock()
        window = self._windows.get(client)
        if window is None or now - window.started >= self._window_seconds:
            self._windows.pop(client, None)
            window = self._windows[client] = _Window(now)
            self._forget_expired(now)
        window.failures += 1

    def _forget_expired(self, now: float) -> None:
        while self._windows:
            oldest_client, oldest = next(iter(self._windows.items()))
            if now - oldest.started < self._window_seconds and len(self._windows) <= _MAX_CLIENTS:
                return
            del self._windows[oldest_client]

    def clear(self) -> None:
        self._windows.clear()
