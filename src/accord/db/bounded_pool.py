"""A connection pool whose every wait is bounded, so that requests answer 503 at once when the database is
gone or frozen instead of hanging."""

from __future__ import annotations

from typing import Any, ClassVar

import asyncpg
import asyncpg.pool


class BoundedWaitPool(asyncpg.pool.Pool):  # type: ignore[misc]  # asyncpg ships no types
    """asyncpg's pool with a default timeout on `acquire` (which covers opening a new connection).

    Piccolo acquires without a timeout, and asyncpg's pool takes no default: an exhausted pool, or a
    connection attempt to a host that swallows packets, would make requests wait forever. The pool Piccolo
    creates gets this class (`bound_waits`); the timeout is per process, like the pool.
    """

    __slots__ = ()
    acquire_timeout: ClassVar[float] = 1.0

    def acquire(self, *, timeout: float | None = None) -> Any:
        if timeout is None and not self._queue.empty():
            # An idle connection is there: taking it can't wait (opening one is bounded by the connect
            # timeout), so skip the timer, whose set-up and cancel cost more than the take itself.
            return super().acquire()
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


def bound_waits(pool: asyncpg.pool.Pool, acquire_timeout: float) -> None:
    # Same slots, no state of its own: swapping the class of the pool Piccolo made is safe.
    BoundedWaitPool.acquire_timeout = acquire_timeout
    pool.__class__ = BoundedWaitPool
