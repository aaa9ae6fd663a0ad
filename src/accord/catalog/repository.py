"""Queries of services, versions, branches and tags.

Auto-creation is set-based and race-free: INSERT ... ON CONFLICT DO NOTHING, then a separate statement (a
fresh snapshot, so it sees rows a concurrent job just committed) reads the ids whoever inserted them, taking
FOR KEY SHARE locks so a concurrent delete can't remove them before the caller's rows referencing them commit.
Deletes lock the row FOR UPDATE first; an ensure that loses that race finds the row gone and inserts it again.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.main_branch import main_branch_sql
from accord.catalog.schemas import ServiceOverview
from accord.db.counted_rows import Counted, counted
from accord.db.like_patterns import escape_like
from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from accord.errors import Conflict
from tables.services import Service

# A delete can win against an ensure at most once per row it removes; two rounds cover a racing delete.
ENSURE_ATTEMPTS = 3

SERVICE_COLUMNS = (
    Service.id,
    Service.name,
    Service.display_name,
    Service.description,
    Service.repository_url,
    Service.main_branch,
    Service.created_at,
    Service.updated_at,
)

# Every tenant-owned table is filtered by the tenant; the main-branch expression filters its branch by s.tenant.
_OVERVIEWS = (
    "SELECT s.name, s.display_name, s.repository_url, s.repository_name, s.repository_namespace, "
    f"{main_branch_sql('s')} AS main_branch, s.created_at, s.updated_at, "
    "(SELECT v.number FROM service_version v WHERE v.tenant = $1 AND v.service = s.id "
    "  ORDER BY v.position DESC LIMIT 1) AS latest_version, "
    "ARRAY(SELECT l.name FROM service_label l WHERE l.tenant = $1 AND l.service = s.id ORDER BY l.name) AS labels "
    "FROM service s WHERE s.tenant = $1 "
)


class ServiceRow(Row, frozen=True, kw_only=True):
    """A service's own columns (SERVICE_COLUMNS)."""

    id: UUID
    name: str
    display_name: str | None
    description: str
    repository_url: str | None
    main_branch: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ServiceRepository(TenantRepository[Service]):
    table = Service

    async def ensure(self, names: list[str]) -> tuple[dict[str, UUID], set[str]]:
        """Ids of the named services, creating the missing ones, and the names this call inserted itself;
        two statements for any number of names."""
        inserted: set[str] = set()
        for _ in range(ENSURE_ATTEMPTS):
            new_rows = await self.fetch(
                "INSERT INTO service (tenant, name) SELECT $1, name FROM unnest($2::text[]) AS name "
                "ON CONFLICT (tenant, name) DO NOTHING RETURNING name",
                names,
            )
            inserted.update(row["name"] for row in new_rows)
            rows = await self.fetch(
                "SELECT id, name FROM service WHERE tenant = $1 AND name = ANY($2::text[]) FOR KEY SHARE", names
            )
            if len(rows) == len(names):
                return {row["name"]: row["id"] for row in rows}, inserted
        raise Conflict("Services were deleted while being created; retry the request.")

    async def create(self, values: dict[str, Any]) -> ServiceRow | None:
        """The new service, or None if the name is taken."""
        rows = await self.fetch(
            "INSERT INTO service (tenant, name, display_name, description, repository_url, main_branch) "
            "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, name) DO NOTHING RETURNING id",
            values["name"],
            values["display_name"],
            values["description"],
            values["repository_url"],
            values["main_branch"],
        )
        return await self.get_by_name(values["name"]) if rows else None

    async def get_by_name(self, name: str) -> ServiceRow | None:
        # Raw SQL: nearly every request looks a service up by name, and building this through Piccolo's query
        # builder cost several times the database round trip (see BENCHMARKS.md).
        return await self.fetch_one(
            ServiceRow,
            "SELECT id, name, display_name, description, repository_url, main_branch, created_at, updated_at "
            "FROM service WHERE tenant = $1 AND name = $2",
            name,
        )

    async def update(self, name: str, values: dict[str, Any]) -> None:  # type: ignore[override]
        if values:
            await (
                super()
                .update({getattr(Service, key): value for key, value in values.items()})
                .where(Service.name == name)
            )

    async def list_page(self, *, limit: int, after: str | None, prefix: str | None) -> list[ServiceRow]:
        query = self.select(*SERVICE_COLUMNS).order_by(Service.name).limit(limit)
        if after is not None:
            query = query.where(Service.name > after)
        if prefix:
            query = query.where(Service.name.ilike(escape_like(prefix) + "%"))
        return rows_as(ServiceRow, await query)

    async def overview(self, name: str) -> ServiceOverview | None:
        rows = await self.fetch(_OVERVIEWS + "AND s.name = $2", name)
        return msgspec.convert(rows[0], ServiceOverview) if rows else None

    async def overview_page(self, *, limit: int, after: str | None, search: str | None) -> list[ServiceOverview]:
        """By name; `search` matches names and display names, case-insensitively."""
        pattern = f"%{escape_like(search)}%" if search else None
        rows = await self.fetch(
            _OVERVIEWS + "AND ($2::text IS NULL OR s.name > $2) "
            "AND ($3::text IS NULL OR s.name ILIKE $3 OR s.display_name ILIKE $3) ORDER BY s.name LIMIT $4",
            after,
            pattern,
            limit,
        )
        return msgspec.convert(rows, list[ServiceOverview])

    async def overview_numbered_page(self, *, limit: int, offset: int, search: str | None) -> Counted[ServiceOverview]:
        """By name, from `offset`, with the count of all that match."""
        pattern = f"%{escape_like(search)}%" if search else None
        rows = await self.fetch(
            "SELECT p.*, count(*) OVER () AS total FROM ("
            + _OVERVIEWS
            + "AND ($2::text IS NULL OR s.name ILIKE $2 OR s.display_name ILIKE $2)) AS p "
            "ORDER BY p.name LIMIT $3 OFFSET $4",
            pattern,
            limit,
            offset,
        )
        return counted(rows, ServiceOverview)

    async def labelled_overview_page(self, label: str, *, limit: int, offset: int) -> Counted[ServiceOverview]:
        """Those with the label, by name, from `offset`, with the count of all of them."""
        rows = await self.fetch(
            "SELECT p.*, count(*) OVER () AS total FROM ("
            + _OVERVIEWS
            + "AND EXISTS (SELECT 1 FROM service_label l WHERE l.tenant = $1 AND l.service = s.id "
            "AND l.name = $2)) AS p ORDER BY p.name LIMIT $3 OFFSET $4",
            label,
            limit,
            offset,
        )
        return counted(rows, ServiceOverview)

    async def set_repository(self, name: str, values: dict[str, str | None]) -> None:
        """Set `repository_name` and/or `repository_namespace` (the keys given)."""
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

    async def reference_counts(self, service_id: UUID) -> dict[str, int]:
        """What refers to a service besides its own versions' branches and tags."""
        rows = await self.fetch(
            "SELECT "
            "(SELECT count(*) FROM service_version WHERE tenant = $1 AND service = $2) AS versions, "
            "(SELECT count(*) FROM interaction WHERE tenant = $1 AND (provider = $2 OR consumer = $2)) "
            "AS interactions, "
            "(SELECT count(*) FROM contract_publication WHERE tenant = $1 AND (provider = $2 OR consumer = $2)) "
            "AS contracts, "
            "(SELECT count(*) FROM fixture WHERE tenant = $1 AND provider = $2) AS fixtures",
            service_id,
        )
        return {key: int(value) for key, value in rows[0].items() if value}

    async def lock_for_delete(self, service_id: UUID) -> None:
        await self.fetch("SELECT id FROM service WHERE tenant = $1 AND id = $2 FOR UPDATE", service_id)

    async def delete_by_id(self, service_id: UUID) -> None:
        await self.delete().where(Service.id == service_id)
