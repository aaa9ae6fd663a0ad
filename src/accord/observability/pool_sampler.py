"""Every few seconds, this worker's pool size and use into the pool gauges.

With several workers a scrape reaches one of them, which cannot ask the others' pools; each worker writes its
own figures (to prometheus-client's shared files) instead, and the scrape sums them. Sampling on a timer, not
on every acquire, keeps the request path free of it.
"""

from __future__ import annotations

from accord.db.periodic import PeriodicTask
from accord.observability.exposition import sample_own_pool

INTERVAL_SECONDS = 5.0


async def _sample() -> None:
    sample_own_pool()


class PoolSampler(PeriodicTask):
    def __init__(self, interval_seconds: float = INTERVAL_SECONDS) -> None:
        # At once, so the gauges have figures from the first scrape on.
        super().__init__(_sample, interval_seconds=interval_seconds, wait_first=False, name="pool sampler")
