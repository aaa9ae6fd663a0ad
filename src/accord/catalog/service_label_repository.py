"""Queries of service labels (service_label rows)."""

from __future__ import annotations

from uuid import UUID

import msgspec

from accord.catalog.schemas import ServiceLabel as ServiceLabelRow
from accord.db.repository import TenantRepository
from tables.labels import ServiceLabel


class ServiceLabelRepository(TenantRepository[ServiceLabel]):
    """A tenant's service labels."""

    table = ServiceLabel

    async def add(self, service_id: UUID, name: str) -> bool:
        """True only for the caller whose insert made the label (racing callers make one row)."""
        rows = await self.fetch(
            "INSERT INTO service_label (tenant, service, name) VALUES ($1, $2, $3) "
            "ON CONFLICT (tenant, service, name) DO NOTHING RETURNING id",
            service_id,
            name,
        )
        return bool(rows)

    async def get(self, service_id: UUID, name: str) -> ServiceLabelRow | None:
        rows = await self.fetch(
            "SELECT name, created_at, updated_at FROM service_label WHERE tenant = $1 AND service = $2 AND name = $3",
            service_id,
            name,
        )
        return msgspec.convert(rows[0], ServiceLabelRow) if rows else None

    async def remove(self, service_id: UUID, name: str) -> bool:
        rows = await self.fetch(
            "DELETE FROM service_label WHERE tenant = $1 AND service = $2 AND name = $3 RETURNING id",
            service_id,
            name,
        )
        return bool(rows)

    async def labelled_names(self, name: str) -> list[str]:
        """Names of the services with the label."""
        rows = await self.fetch(
            "SELECT s.name FROM service s JOIN service_label l ON l.tenant = $1 AND l.service = s.id "
            "WHERE s.tenant = $1 AND l.name = $2",
            name,
        )
        return [row["name"] for row in rows]
