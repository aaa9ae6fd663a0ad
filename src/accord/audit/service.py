"""Reading a tenant's audit log."""

from __future__ import annotations

from accord.audit.repository import AuditRepository, AuditRow
from accord.audit.schemas import AuditEntry, AuditFilter
from accord.http.pagination import Page, decode_cursor, page_of


class AuditService:
    """The audit log of one tenant, newest entry first, in keyset pages."""

    def __init__(self, repository: AuditRepository) -> None:
        self.repository = repository

    async def list(self, *, limit: int, cursor: str | None, matching: AuditFilter) -> Page[AuditEntry]:
        before = decode_cursor(cursor, int)
        rows = await self.repository.list_page(limit=limit + 1, before=before[0] if before else None, matching=matching)
        positions = {row.id: row.position for row in rows}
        return page_of(rows, limit, _to_schema, lambda entry: (positions[entry.id],))


def _to_schema(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        resource=row.resource,
        resource_id=row.resource_id,
        request_id=row.request_id,
        summary=row.summary,
    )
