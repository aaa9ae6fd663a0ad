"""The loop of Accord's polling background tasks (the contract settler, the vector indexer): a round of work,
again at once while rounds come back full, otherwise a short wait; a database error skips to the next round.

Unlike QueueWorker (accord.db.queue_worker) there is no channel to listen on: these tasks look for work that
requests leave behind without notifying, so polling is their only wake-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from accord.db.queue_worker import DATABASE_ERRORS

logger = logging.getLogger(__name__)


class RoundLoop:
    def __init__(self, *, full_round: int, idle_seconds: float) -> None:
        self.full_round = full_round
        self.idle_seconds = idle_seconds
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def work_round(self) -> int:
        """One round; how many items it handled (`full_round` of them means more may be waiting)."""
        raise NotImplementedError

    def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Let the round in progress finish (one short transaction); cancel after a few seconds."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while not self._stopping.is_set():
            handled = 0
            try:
                handled = await self.work_round()
            except DATABASE_ERRORS as exc:
                logger.warning("%s: %s; retrying", type(self).__name__, type(exc).__name__)
            if handled < self.full_round:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.idle_seconds)
