"""Labels of pacticipants (service_label rows)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.db.repository import TenantRepository
from tables.labels import ServiceLabel


class PacticipantLabelRepository(TenantRepository[ServiceLabel]):
    """A tenant's pacticipant labels."""

    table = ServiceLabel

    async def add(self, service_id: UUID, name: str) -> bool:
        """True only for the caller whose insert made the label (racing PUTs make one row)."""
        rows = await self.fetch(
            "INSERT INTO service_label (tenant, service, name) VALUES ($1, $2, $3) "
            "ON CONFLICT (tenant, service, name) DO NOTHING RETURNING id",
            service_id,
            name,
        )
        return bool(rows)

    async def get(self, service_id: UUID, name: str) -> dict[str, Any] | None:
        rows = await self.fetch(
            "SELECT name, created_at, updated_at FROM service_label WHERE tenant = $1 AND service = $2 AND name = $3",
            service_id,
            name,
        )
        return rows[0] if rows else None

    async def remove(self, service_id: UUID, name: str) -> bool:
        rows = await self.fetch(
            "DELETE FROM service_label WHERE tenant = $1 AND service = $2 AND name = $3 RETURNING id",
            service_id,
            name,
        )
        return bool(rows)
