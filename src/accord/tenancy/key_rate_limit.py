"""ACCORD_KEY_RATE_LIMIT: requests per second per API key, a token bucket of ACCORD_KEY_RATE_BURST requests.

A key that empties its bucket gets 429 (`rate-limited`) with the seconds until the next request would pass.
Buckets live in this process: with N workers a key may get up to N times the rate (the README says so); a
shared counter would cost a database round trip per request, which the cheap read cannot afford.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from uuid import UUID

_MAX_KEYS = 100_000


class _Bucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, tokens: float, updated: float) -> None:
        self.tokens = tokens
        self.updated = updated


class KeyRateLimit:
    def __init__(self, *, per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_second = per_second
        self.burst = float(burst)
        self._clock = clock
        # Insertion order is last-use order (a use re-inserts), so the least recently used key sits in front.
        self._buckets: dict[UUID, _Bucket] = {}

    def retry_after(self, key_id: UUID) -> int | None:
        """Take one request from the key's bucket: None if it may go on, else whole seconds to wait."""
        now = self._clock()
        bucket = self._buckets.pop(key_id, None)
        if bucket is None:
            bucket = _Bucket(self.burst, now)
            if len(self._buckets) >= _MAX_KEYS:
                del self._buckets[next(iter(self._buckets))]
        else:
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.per_second)
            bucket.updated = now
        self._buckets[key_id] = bucket
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / self.per_second))

    def clear(self) -> None:
        self._buckets.clear()
