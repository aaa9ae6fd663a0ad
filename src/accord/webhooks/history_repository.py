"""What `accord clean` removes of a tenant's webhook history: old events with their deliveries, and old attempts.

An event is removed only once it can no longer cause a request: fanned out (else it is the promise that its
deliveries will be queued) and with no delivery still pending or running (removing it would cancel them). Its
finished deliveries and their attempts go with it; attempts older than the cut-off go in any case (test runs
too), as they only record what was sent.
"""

from __future__ import annotations

import datetime

import msgspec

from accord.db.repository import TenantRepository
from tables.webhooks import Event

# $2: the cut-off.
_EXPIRED = """
expired_events AS (
    SELECT e.id FROM event e
    WHERE e.tenant = $1 AND e.created_at < $2 AND e.fanned_out AND NOT EXISTS (
        SELECT 1 FROM webhook_delivery d
        WHERE d.tenant = $1 AND d.event = e.id AND d.status IN ('pending', 'running')
    )
),
expired_deliveries AS (
    SELECT d.id FROM webhook_delivery d WHERE d.tenant = $1 AND d.event IN (SELECT id FROM expired_events)
)"""

_EXPIRED_ATTEMPTS = "a.tenant = $1 AND (a.created_at < $2 OR a.delivery IN (SELECT id FROM expired_deliveries))"

_COUNT = f"""
WITH {_EXPIRED}
SELECT
    (SELECT count(*) FROM expired_events) AS events,
    (SELECT count(*) FROM expired_deliveries) AS webhook_deliveries,
    (SELECT count(*) FROM webhook_attempt a WHERE {_EXPIRED_ATTEMPTS}) AS webhook_attempts"""

# One statement: every part sees the same rows. The foreign keys' cascades (event -> delivery -> attempt) find
# nothing left to remove.
_DELETE = f"""
WITH {_EXPIRED},
removed_attempts AS (DELETE FROM webhook_attempt a WHERE {_EXPIRED_ATTEMPTS} RETURNING 1),
removed_deliveries AS (
    DELETE FROM webhook_delivery WHERE tenant = $1 AND id IN (SELECT id FROM expired_deliveries) RETURNING 1
),
removed_events AS (DELETE FROM event WHERE tenant = $1 AND id IN (SELECT id FROM expired_events) RETURNING 1)
SELECT
    (SELECT count(*) FROM removed_events) AS events,
    (SELECT count(*) FROM removed_deliveries) AS webhook_deliveries,
    (SELECT count(*) FROM removed_attempts) AS webhook_attempts"""


class ExpiredHistory(msgspec.Struct, frozen=True, kw_only=True):
    events: int
    webhook_deliveries: int
    webhook_attempts: int


class WebhookHistoryRepository(TenantRepository[Event]):
    """A tenant's events and webhook delivery history, as retention sees them."""

    table = Event

    async def count_expired(self, before: datetime.datetime) -> ExpiredHistory:
        return (await self.fetch_as(ExpiredHistory, _COUNT, before))[0]

    async def delete_expired(self, before: datetime.datetime) -> ExpiredHistory:
        return (await self.fetch_as(ExpiredHistory, _DELETE, before))[0]
