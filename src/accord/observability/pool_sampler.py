"""Every few seconds, this worker's pool size and use into the pool gauges.

With several workers a scrape reaches one of them, which cannot ask the others' pools; each worker writes its
own figures (to prometheus-client's shared files) instead, and the scrape sums them. Sampling on a timer, not
on every acquire, keeps the request path free of it.
"""

from __future__ import annotations

import asyncio
import contextlib

from accord.observability.exposition import sample_own_pool

INTERVAL_SECONDS = 5.0


class PoolSampler:
    def __init__(self, interval_seconds: float = INTERVAL_SECONDS) -> None:
        self.interval_seconds = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            sample_own_pool()
            await asyncio.sleep(self.interval_seconds)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
