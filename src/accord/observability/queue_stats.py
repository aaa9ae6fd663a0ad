"""How much background work waits: queued static checks and webhook deliveries, across every tenant.

Row security shows the application role one tenant's rows at a time; the counts come from a SECURITY DEFINER
function (migration 2026-12-06T01:45) that returns only numbers, never a row or a tenant.
"""

from __future__ import annotations

import msgspec

from accord.db.engine import connection
from accord.db.rows import records_as


class QueueStats(msgspec.Struct, frozen=True, kw_only=True):
    queue: str  # static_checks | webhook_deliveries
    depth: int  # pending or running
    oldest_seconds: float  # age of the oldest of them; 0 when none


async def queue_stats() -> list[QueueStats]:
    async with connection() as conn:
        return records_as(QueueStats, await conn.fetch("SELECT queue, depth, oldest_seconds FROM accord_queue_stats()"))
