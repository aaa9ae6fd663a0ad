"""Reads of a tenant's event log, for the event stream."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.webhooks import Event


class EventRow(Row, frozen=True, kw_only=True):
    id: UUID
    position: int
    name: str
    subject: str  # JSON text, sent on as the stream's data
    created_at: datetime.datetime
    consumer: str | None
    provider: str | None


class _Position(msgspec.Struct, frozen=True):
    position: int


class EventRepository(TenantRepository[Event]):
    """A tenant's events, in position order."""

    table = Event

    async def after(self, position: int, limit: int) -> list[EventRow]:
        """Events after `position`, only those of transactions older than every one still running: a later
        position can commit before an earlier one, and a reader past it would skip the earlier for good."""
        return await self.fetch_as(
            EventRow,
            "SELECT e.id, e.position, e.name, e.subject::text AS subject, e.created_at, "
            "c.name AS consumer, p.name AS provider FROM event e "
            "LEFT JOIN service c ON c.tenant = $1 AND c.id = e.consumer "
            "LEFT JOIN service p ON p.tenant = $1 AND p.id = e.provider "
            "WHERE e.tenant = $1 AND e.position > $2 AND e.txid < pg_snapshot_xmin(pg_current_snapshot()) "
            "ORDER BY e.position LIMIT $3",
            position,
            limit,
        )

    async def last_position(self) -> int:
        rows = await self.fetch_as(
            _Position, "SELECT COALESCE(max(position), 0) AS position FROM event WHERE tenant = $1"
        )
        return rows[0].position
