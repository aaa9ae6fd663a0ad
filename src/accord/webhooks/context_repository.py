"""What a webhook's variables are made of: the event and the rows it names, read by the event's tenant."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row, row_as
from tables.webhooks import Event

_VERSION = (
    "SELECT v.number, s.name AS service, "
    "(SELECT b.name FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
    " WHERE bv.tenant = $1 AND bv.version = v.id ORDER BY bv.position DESC LIMIT 1) AS branch, "
    "(SELECT string_agg(t.name, ',' ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = v.id) AS tags "
    "FROM service_version v JOIN service s ON s.tenant = $1 AND s.id = v.service WHERE v.tenant = $1 AND v.id = $2"
)


class EventRow(Row, frozen=True, kw_only=True):
    id: UUID
    name: str
    subject: dict[str, Any]  # ids of the rows the event is about, by kind (see migration 2026-12-05T16:14)
    created_at: datetime.datetime
    consumer: str | None
    provider: str | None
    consumer_labels: str | None  # comma separated, None: no label
    provider_labels: str | None


class VersionRow(Row, frozen=True, kw_only=True):
    number: str
    service: str
    branch: str | None  # the newest branch the version is on
    tags: str | None  # comma separated


class VerificationRow(Row, frozen=True, kw_only=True):
    success: bool
    build_url: str | None


class EventContextRepository(TenantRepository[Event]):
    """Reads behind the template variables of one event."""

    table = Event

    async def event(self, event_id: UUID) -> EventRow | None:
        rows = await self.fetch(
            "SELECT e.id, e.name, e.subject::text AS subject, e.created_at, c.name AS consumer, p.name AS provider, "
            # Labels as they are when the request is sent, comma separated like the broker's variables.
            "(SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM service_label l "
            " WHERE l.tenant = $1 AND l.service = e.consumer) AS consumer_labels, "
            "(SELECT string_agg(l.name, ', ' ORDER BY l.name) FROM service_label l "
            " WHERE l.tenant = $1 AND l.service = e.provider) AS provider_labels "
            "FROM event e LEFT JOIN service c ON c.tenant = $1 AND c.id = e.consumer "
            "LEFT JOIN service p ON p.tenant = $1 AND p.id = e.provider WHERE e.tenant = $1 AND e.id = $2",
            event_id,
        )
        if not rows:
            return None
        return row_as(EventRow, {**rows[0], "subject": msgspec.json.decode(rows[0]["subject"])})

    async def version(self, version_id: UUID) -> VersionRow | None:
        return await self.fetch_one(VersionRow, _VERSION, version_id)

    async def content_sha(self, content_id: UUID) -> str | None:
        rows = await self.fetch("SELECT sha FROM contract_content WHERE tenant = $1 AND id = $2", content_id)
        return str(rows[0]["sha"]) if rows else None

    async def latest_consumer_version_of(self, content_id: UUID) -> UUID | None:
        """The newest consumer version that published this content (what a verification result is about)."""
        rows = await self.fetch(
            "SELECT p.consumer_version FROM contract_publication p "
            "JOIN service_version v ON v.tenant = $1 AND v.id = p.consumer_version "
            "WHERE p.tenant = $1 AND p.content = $2 ORDER BY v.position DESC LIMIT 1",
            content_id,
        )
        return UUID(str(rows[0]["consumer_version"])) if rows else None

    async def verification(self, verification_id: UUID) -> VerificationRow | None:
        return await self.fetch_one(
            VerificationRow,
            "SELECT success, build_url FROM verification_result WHERE tenant = $1 AND id = $2",
            verification_id,
        )

    async def environment_name(self, environment_id: UUID) -> str | None:
        rows = await self.fetch("SELECT name FROM environment WHERE tenant = $1 AND id = $2", environment_id)
        return str(rows[0]["name"]) if rows else None
