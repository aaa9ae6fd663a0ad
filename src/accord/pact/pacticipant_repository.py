"""Reads of pacticipants (Accord's services) in the shape the Pact API renders them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.like_patterns import escape_like
from accord.db.repository import TenantRepository
from tables.services import Service

# Every tenant-owned table is filtered by the tenant; the main-branch expression filters its branch by s.tenant.
_PACTICIPANTS = (
    "SELECT s.id, s.name, s.display_name, s.repository_url, s.repository_name, s.repository_namespace, "
    f"{main_branch_sql('s')} AS main_branch, s.created_at, s.updated_at, "
    "(SELECT v.number FROM service_version v WHERE v.tenant = $1 AND v.service = s.id "
    "  ORDER BY v.position DESC LIMIT 1) AS latest_version, "
    "ARRAY(SELECT l.name FROM service_label l WHERE l.tenant = $1 AND l.service = s.id ORDER BY l.name) AS labels "
    "FROM service s WHERE s.tenant = $1 "
)


class PactPacticipantRepository(TenantRepository[Service]):
    """Pacticipants with their main branch (set or detected) and latest version."""

    table = Service

    async def get(self, name: str) -> dict[str, Any] | None:
        rows = await self.fetch(_PACTICIPANTS + "AND s.name = $2", name)
        return rows[0] if rows else None

    async def list_page(self, *, limit: int, after: str | None, search: str | None) -> list[dict[str, Any]]:
        """By name; `search` matches names and display names, case-insensitively."""
        pattern = f"%{escape_like(search)}%" if search else None
        return await self.fetch(
            _PACTICIPANTS + "AND ($2::text IS NULL OR s.name > $2) "
            "AND ($3::text IS NULL OR s.name ILIKE $3 OR s.display_name ILIKE $3) ORDER BY s.name LIMIT $4",
            after,
            pattern,
            limit,
        )

    async def list_numbered_page(self, *, limit: int, offset: int, search: str | None) -> list[dict[str, Any]]:
        """By name, from `offset`; with the count of all that match in `total` (the broker's numbered pages)."""
        pattern = f"%{escape_like(search)}%" if search else None
        return await self.fetch(
            "SELECT p.*, count(*) OVER () AS total FROM ("
            + _PACTICIPANTS
            + "AND ($2::text IS NULL OR s.name ILIKE $2 OR s.display_name ILIKE $2)) AS p "
            "ORDER BY p.name LIMIT $3 OFFSET $4",
            pattern,
            limit,
            offset,
        )

    async def list_labelled_page(self, label: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
        """Those with the label, by name, from `offset`; with the count of all of them in `total`."""
        return await self.fetch(
            "SELECT p.*, count(*) OVER () AS total FROM ("
            + _PACTICIPANTS
            + "AND EXISTS (SELECT 1 FROM service_label l WHERE l.tenant = $1 AND l.service = s.id "
            "AND l.name = $2)) AS p ORDER BY p.name LIMIT $3 OFFSET $4",
            label,
            limit,
            offset,
        )

    async def labelled_names(self, label: str) -> list[str]:
        """Names of those with the label (selectors that name a label, e.g. the matrix's ignore)."""
        rows = await self.fetch(
            "SELECT s.name FROM service s JOIN service_label l ON l.tenant = $1 AND l.service = s.id "
            "WHERE s.tenant = $1 AND l.name = $2",
            label,
        )
        return [row["name"] for row in rows]

    async def set_repository(self, name: str, values: dict[str, str | None]) -> None:
        """Set `repository_name` and/or `repository_namespace` (the keys given), which the catalog doesn't own."""
        if not values:
            return
        await self.fetch(
            "UPDATE service SET repository_name = CASE WHEN $3 THEN $4 ELSE repository_name END, "
            "repository_namespace = CASE WHEN $5 THEN $6 ELSE repository_namespace END, updated_at = now() "
            "WHERE tenant = $1 AND name = $2",
            name,
            "repository_name" in values,
            values.get("repository_name"),
            "repository_namespace" in values,
            values.get("repository_namespace"),
        )

    async def current_deployments(self, service_id: UUID) -> list[dict[str, Any]]:
        """Where the pacticipant's versions are deployed now."""
        return await self.fetch(
            "SELECT d.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULLIF(d.application_instance, '') AS application_instance, d.currently_deployed AS current "
            "FROM deployment d JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "WHERE d.tenant = $1 AND d.service = $2 AND d.currently_deployed "
            "ORDER BY e.name, d.application_instance",
            service_id,
        )
