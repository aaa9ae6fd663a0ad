"""Reads of the audit log; only the database's triggers write it (migration 2026-12-05T21:36)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from accord.audit.schemas import AuditAction, AuditFilter
from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from tables.audit import AuditEntry

_COLUMNS = (
    AuditEntry.id,
    AuditEntry.position,
    AuditEntry.at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.resource,
    AuditEntry.resource_id,
    AuditEntry.request_id,
    AuditEntry.summary,
)


class AuditRow(Row, frozen=True, kw_only=True):
    id: UUID
    position: int  # the keyset order (newest first)
    at: datetime.datetime
    actor: str
    action: AuditAction
    resource: str
    resource_id: str | None
    request_id: str | None
    summary: dict[str, Any]


class AuditRepository(TenantRepository[AuditEntry]):
    """The tenant's audit entries, newest first."""

    table = AuditEntry

    async def list_page(self, *, limit: int, before: int | None, matching: AuditFilter) -> list[AuditRow]:
        query = self.select(*_COLUMNS).output(load_json=True).order_by(AuditEntry.position, ascending=False)
        if before is not None:
            query = query.where(AuditEntry.position < before)
        conditions = {
            AuditEntry.actor: matching.actor,
            AuditEntry.action: matching.action,
            AuditEntry.resource: matching.resource,
            AuditEntry.resource_id: matching.resource_id,
            AuditEntry.request_id: matching.request_id,
        }
        for column, value in conditions.items():
            if value is not None:
                query = query.where(column == value)
        if matching.since is not None:
            query = query.where(AuditEntry.at >= matching.since)
        if matching.until is not None:
            query = query.where(AuditEntry.at < matching.until)
        return rows_as(AuditRow, await query.limit(limit))
