"""The loop of Accord's timer tasks (the pool sampler, the scheduled clean, the pool's start-up retry): call a
function every N seconds in a task of its own, until it says it is done or the task is stopped.

Unlike RoundLoop (accord.db.round_loop), which lets a round in progress finish its transaction, stop cancels at
once: these ticks are either instant (sampling) or safe to abandon halfway (a clean is one transaction per
tenant, a connection attempt holds nothing). And no round is run again at once: work is due on the clock, not
waiting in a table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

logger = logging.getLogger(__name__)

# What a tick returns: True when there is nothing more to do (the loop ends), else False or None.
Tick = Callable[[], Awaitable[bool | None]]


class PeriodicTask:
    def __init__(self, tick: Tick, *, interval_seconds: float, wait_first: bool, name: str) -> None:
        """`wait_first`: the first tick comes after one interval (else at once, then every interval)."""
        self._tick = tick
        self.interval_seconds = interval_seconds
        self.wait_first = wait_first
        self.name = name
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        if self.wait_first:
            await asyncio.sleep(self.interval_seconds)
        while True:
            try:
                if await self._tick():
                    return
            except Exception as exc:  # a failed tick must not end the timer; the next one tries again
                logger.warning(
                    "%s failed (%s: %s); trying again in %g s",
                    self.name,
                    type(exc).__name__,
                    exc,
                    self.interval_seconds,
                )
            await asyncio.sleep(self.interval_seconds)
