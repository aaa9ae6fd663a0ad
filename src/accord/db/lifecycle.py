"""Start-up and shutdown of the connection pool, tolerant of a database that is not up yet."""

from __future__ import annotations

import logging

from accord.db.engine import close_pool, start_pool
from accord.db.periodic import PeriodicTask

logger = logging.getLogger(__name__)

_RETRY_SECONDS = 5.0


class PoolLifecycle:
    """Opens the pool at start-up; if the database is down, serves anyway (readiness says 503 and requests
    answer 503) and keeps retrying in the background until it comes up."""

    def __init__(
        self, *, min_size: int, max_size: int, acquire_timeout: float = 1.0, statement_timeout: float = 30.0
    ) -> None:
        self.min_size = min_size
        self.max_size = max_size
        self.acquire_timeout = acquire_timeout
        self.statement_timeout = statement_timeout
        self._retry = PeriodicTask(
            self._retry_start, interval_seconds=_RETRY_SECONDS, wait_first=True, name="database pool start-up"
        )

    async def _try_start(self) -> bool:
        try:
            await start_pool(
                self.min_size,
                self.max_size,
                acquire_timeout=self.acquire_timeout,
                statement_timeout=self.statement_timeout,
            )
        except Exception as exc:  # any failure to connect means: retry later
            logger.warning("database not reachable at start-up (%s: %s); retrying", type(exc).__name__, exc)
            return False
        return True

    async def _retry_start(self) -> bool:
        """One retry; True (the retries end) once the pool is up."""
        started = await self._try_start()
        if started:
            logger.info("database connection pool started")
        return started

    async def start(self) -> None:
        if not await self._try_start():
            self._retry.start()

    async def stop(self) -> None:
        await self._retry.stop()
        await close_pool()
