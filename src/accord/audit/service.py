"""Reading a tenant's audit log."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.audit.repository import AuditRepository
from accord.audit.schemas import AuditEntry, AuditFilter
from accord.http.pagination import Page, decode_cursor, page_of


class AuditService:
    """The audit log of one tenant, newest entry first, in keyset pages."""

    def __init__(self, repository: AuditRepository) -> None:
        self.repository = repository

    async def list(self, *, limit: int, cursor: str | None, matching: AuditFilter) -> Page[AuditEntry]:
        before = decode_cursor(cursor, int)
        rows = await self.repository.list_page(limit=limit + 1, before=before[0] if before else None, matching=matching)
        positions = {row["id"]: row["position"] for row in rows}
        return page_of(rows, limit, _to_schema, lambda entry: (positions[entry.id],))


def _to_schema(row: dict[str, Any]) -> AuditEntry:
    return msgspec.convert({k: v for k, v in row.items() if k != "position"}, AuditEntry)
