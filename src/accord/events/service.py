"""A tenant's event stream: the event log read in position order, woken by commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

from accord.events.repository import EventRepository
from accord.events.schemas import Event
from accord.events.signal import EventSignal
from accord.tenant_ids import TenantId

_BATCH = 200
# A quiet stream re-reads at least this often (covering a missed NOTIFY) and yields None (a keep-alive).
_POLL_SECONDS = 15.0


class EventStreamService:
    def __init__(self, tenant: TenantId, signal: EventSignal) -> None:
        self.events = EventRepository(tenant)
        self.signal = signal

    async def start_position(self, resume_after: int | None) -> int:
        """Where a stream starts: after the given position, else after the newest event (only new ones)."""
        return await self.events.last_position() if resume_after is None else resume_after

    async def stream(self, position: int) -> AsyncIterator[Event | None]:
        """Events after `position`, forever; None when nothing happened for a while."""
        while True:
            rows = await self.events.after(position, _BATCH)
            for row in rows:
                position = row.position
                yield Event(
                    id=row.id,
                    position=row.position,
                    name=row.name,
                    consumer=row.consumer,
                    provider=row.provider,
                    subject=msgspec.json.decode(row.subject, type=dict[str, Any]),
                    created_at=row.created_at,
                )
            if len(rows) == _BATCH:
                continue
            await self.signal.wait(_POLL_SECONDS)
            if not rows:
                yield None
