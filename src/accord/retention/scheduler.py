"""The clean job on a timer inside `accord serve`; with several workers or servers, the clean lock lets one
of them run it and the others skip that round."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from accord.retention.schemas import KeepRules
from accord.retention.service import CleanAlreadyRunning, RetentionService

logger = logging.getLogger(__name__)


class RetentionScheduler:
    def __init__(self, rules: KeepRules, *, interval_seconds: float) -> None:
        self.service = RetentionService(rules)
        self.interval_seconds = interval_seconds
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def run_once(self) -> None:
        try:
            report = await self.service.clean(dry_run=False, wait=False)
        except CleanAlreadyRunning:
            logger.info("scheduled clean skipped: another process is cleaning")
        except Exception as exc:  # an outage or a bug must not end the schedule; the next round tries again
            logger.warning("scheduled clean failed (%s: %s)", type(exc).__name__, exc)
        else:
            logger.info("scheduled clean removed %d rows", report.totals().total())

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval_seconds)
            await self.run_once()
