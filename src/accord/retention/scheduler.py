"""The clean job on a timer inside `accord serve`; with several workers or servers, the clean lock lets one
of them run it and the others skip that round."""

from __future__ import annotations

import logging

from accord.db.periodic import PeriodicTask
from accord.retention.schemas import KeepRules
from accord.retention.service import CleanAlreadyRunning, RetentionService

logger = logging.getLogger(__name__)


class RetentionScheduler(PeriodicTask):
    def __init__(self, rules: KeepRules, *, interval_seconds: float) -> None:
        # The first round after one interval: a restart loop must not turn into a clean loop.
        super().__init__(self.run_once, interval_seconds=interval_seconds, wait_first=True, name="scheduled clean")
        self.service = RetentionService(rules)

    async def run_once(self) -> None:
        try:
            report = await self.service.clean(dry_run=False, wait=False)
        except CleanAlreadyRunning:
            logger.info("scheduled clean skipped: another process is cleaning")
        except Exception as exc:  # an outage or a bug must not end the schedule; the next round tries again
            logger.warning("scheduled clean failed (%s: %s)", type(exc).__name__, exc)
        else:
            logger.info("scheduled clean removed %d rows", report.totals().total())
