"""The text of GET /metrics: this process's (or, with several workers, every worker's) metrics, plus figures
read from the database at scrape time (queue depth and age), which no worker keeps."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator

from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from accord.db.engine import pool_stats
from accord.observability.metrics import sample_pool
from accord.observability.queue_stats import QueueStats, queue_stats

logger = logging.getLogger(__name__)

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"


class _QueueCollector(Collector):
    def __init__(self, stats: Iterable[QueueStats] | None) -> None:
        self.stats = list(stats or ())
        self.available = stats is not None

    def collect(self) -> Iterator[Metric]:
        yield GaugeMetricFamily(
            "accord_queue_stats_available",
            "1 when the queue figures below could be read from the database at this scrape, else 0.",
            value=1 if self.available else 0,
        )
        depth = GaugeMetricFamily(
            "accord_queue_depth", "Queued work waiting or running, by queue (all tenants).", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "accord_queue_oldest_age_seconds", "Age of the oldest queued item, by queue (0: empty).", labels=["queue"]
        )
        for item in self.stats:
            depth.add_metric([item.queue], item.depth)
            age.add_metric([item.queue], item.oldest_seconds)
        yield depth
        yield age


def sample_own_pool() -> None:
    stats = pool_stats()
    if stats is not None:
        sample_pool(stats.size, stats.in_use, stats.max_size)


async def _queue_stats_or_none() -> list[QueueStats] | None:
    # Metrics matter most while the database is in trouble: the rest of the scrape is answered regardless.
    try:
        return await queue_stats()
    except Exception as exc:
        logger.warning("queue figures unavailable for /metrics: %s: %s", type(exc).__name__, exc)
        return None


async def render() -> bytes:
    sample_own_pool()
    queues = _QueueCollector(await _queue_stats_or_none())
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        registry.register(queues)
        return generate_latest(registry)
    # One process: its default registry (which also describes the process: memory, CPU, open files).
    extra = CollectorRegistry()
    extra.register(queues)
    return generate_latest(REGISTRY) + generate_latest(extra)
