"""Queries of services, versions, branches and tags.

Auto-creation is set-based and race-free: INSERT ... ON CONFLICT DO NOTHING, then a separate statement (a
fresh snapshot, so it sees rows a concurrent job just committed) reads the ids whoever inserted them, taking
FOR KEY SHARE locks so a concurrent delete can't remove them before the caller's rows referencing them commit.
Deletes lock the row FOR UPDATE first; an ensure that loses that race finds the row gone and inserts it again.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.main_branch import main_branch_sql
from accord.catalog.schemas import ServiceOverview
from accord.db.counted_rows import Counted, counted
from accord.db.like_patterns import escape_like
from accord.db.repository import TenantRepository
from accord.errors import Conflict
from tables.services import Branch, Service, ServiceVersion

# A delete can win against an ensure at most once per row it removes; two rounds cover a racing delete.
_ENSURE_ATTEMPTS = 3

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


class ServiceRepository(TenantRepository[Service]):
    table = Service

    async def ensure(self, names: list[str]) -> tuple[dict[str, UUID], set[str]]:
        """Ids of the named services, creating the missing ones, and the names this call inserted itself;
        two statements for any number of names."""
        inserted: set[str] = set()
        for _ in range(_ENSURE_ATTEMPTS):
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

    async def create(self, values: dict[str, Any]) -> dict[str, Any] | None:
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

    async def get_by_name(self, name: str) -> dict[str, Any] | None:
        # Raw SQL: nearly every request looks a service up by name, and building this through Piccolo's query
        # builder cost several times the database round trip (see BENCHMARKS.md).
        rows = await self.fetch(
            "SELECT id, name, display_name, description, repository_url, main_branch, created_at, updated_at "
            "FROM service WHERE tenant = $1 AND name = $2",
            name,
        )
        return rows[0] if rows else None

    async def update(self, name: str, values: dict[str, Any]) -> None:  # type: ignore[override]
        if values:
            await (
                super()
                .update({getattr(Service, key): value for key, value in values.items()})
                .where(Service.name == name)
            )

    async def list_page(self, *, limit: int, after: str | None, prefix: str | None) -> list[dict[str, Any]]:
        query = self.select(*SERVICE_COLUMNS).order_by(Service.name).limit(limit)
        if after is not None:
            query = query.where(Service.name > after)
        if prefix:
            query = query.where(Service.name.ilike(escape_like(prefix) + "%"))
        rows: list[dict[str, Any]] = await query
        return rows

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


class VersionRepository(TenantRepository[ServiceVersion]):
    table = ServiceVersion

    async def ensure(self, keys: list[tuple[UUID, str, str | None]]) -> tuple[dict[tuple[UUID, str], UUID], set[UUID]]:
        """Ids of (service id, number) versions, creating missing ones with their semver key, and the ids of
        those this call inserted itself."""
        service_ids = [key[0] for key in keys]
        numbers = [key[1] for key in keys]
        semver_keys = [key[2] for key in keys]
        inserted: set[UUID] = set()
        for _ in range(_ENSURE_ATTEMPTS):
            new_rows = await self.fetch(
                "INSERT INTO service_version (tenant, service, number, semver_key) "
                "SELECT $1, s, n, k FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(s, n, k) "
                "ON CONFLICT (tenant, service, number) DO NOTHING RETURNING id",
                service_ids,
                numbers,
                semver_keys,
            )
            inserted.update(row["id"] for row in new_rows)
            rows = await self.fetch(
                "SELECT v.id, v.service, v.number FROM service_version v "
                "JOIN unnest($2::uuid[], $3::text[]) AS t(s, n) ON v.service = t.s AND v.number = t.n "
                "WHERE v.tenant = $1 FOR KEY SHARE OF v",
                service_ids,
                numbers,
            )
            if len(rows) == len(keys):
                return {(row["service"], row["number"]): row["id"] for row in rows}, inserted
        raise Conflict("Versions were deleted while being created; retry the request.")

    async def fill_build_info(self, infos: dict[UUID, tuple[str | None, str | None]]) -> None:
        """Set git sha and build URL of many versions where given; rows already holding them aren't touched."""
        if not infos:
            return
        ids = sorted(infos)
        await self.execute(
            "UPDATE service_version v SET git_sha = COALESCE(t.g, v.git_sha), build_url = COALESCE(t.b, v.build_url) "
            "FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(i, g, b) "
            "WHERE v.tenant = $1 AND v.id = t.i "
            "AND (v.git_sha IS DISTINCT FROM COALESCE(t.g, v.git_sha) "
            "  OR v.build_url IS DISTINCT FROM COALESCE(t.b, v.build_url))",
            ids,
            [infos[i][0] for i in ids],
            [infos[i][1] for i in ids],
        )

    async def set_build_info(self, version_id: UUID, values: dict[str, Any]) -> None:
        if values:
            await self.update({getattr(ServiceVersion, key): value for key, value in values.items()}).where(
                ServiceVersion.id == version_id
            )

    async def get(self, service_id: UUID, number: str) -> dict[str, Any] | None:
        rows = await self.fetch(
            "SELECT id, number, git_sha, build_url, created_at, position FROM service_version "
            "WHERE tenant = $1 AND service = $2 AND number = $3",
            service_id,
            number,
        )
        return rows[0] if rows else None

    async def list_page(
        self, *, service_id: UUID, limit: int, before: int | None, branch: str | None, tag: str | None
    ) -> list[dict[str, Any]]:
        """Newest first (by creation order), optionally only those on a branch or with a tag."""
        return await self.fetch(
            "SELECT v.id, v.number, v.git_sha, v.build_url, v.created_at, v.position FROM service_version v "
            "WHERE v.tenant = $1 AND v.service = $2 AND ($3::bigint IS NULL OR v.position < $3) "
            "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM branch_version bv JOIN branch b ON b.id = bv.branch "
            "  WHERE bv.version = v.id AND b.name = $4)) "
            "AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM tag t WHERE t.version = v.id AND t.name = $5)) "
            "ORDER BY v.position DESC LIMIT $6",
            service_id,
            before,
            branch,
            tag,
            limit,
        )

    async def labels(self, version_ids: list[UUID]) -> dict[UUID, tuple[list[str], list[str]]]:
        """Branches and tags of many versions in one statement."""
        rows = await self.fetch(
            "SELECT v.id, "
            "COALESCE((SELECT array_agg(b.name ORDER BY bv.position) FROM branch_version bv "
            "  JOIN branch b ON b.id = bv.branch WHERE bv.version = v.id), '{}') AS branches, "
            "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.version = v.id), '{}') "
            "AS tags "
            "FROM service_version v WHERE v.tenant = $1 AND v.id = ANY($2::uuid[])",
            version_ids,
        )
        return {row["id"]: (list(row["branches"]), list(row["tags"])) for row in rows}

    async def reference_counts(self, version_id: UUID) -> dict[str, int]:
        rows = await self.fetch(
            "SELECT "
            "(SELECT count(*) FROM interaction WHERE tenant = $1 AND consumer_version = $2) AS interactions, "
            "(SELECT count(*) FROM contract_publication WHERE tenant = $1 AND consumer_version = $2) AS contracts, "
            "(SELECT count(*) FROM spec WHERE tenant = $1 AND version = $2) AS specs, "
            "(SELECT count(*) FROM deployment WHERE tenant = $1 AND version = $2) AS deployments, "
            "(SELECT count(*) FROM release WHERE tenant = $1 AND version = $2) AS releases, "
            "(SELECT count(*) FROM verification_result WHERE tenant = $1 AND provider_version = $2) "
            "AS verifications",
            version_id,
        )
        return {key: int(value) for key, value in rows[0].items() if value}

    async def lock_for_delete(self, version_id: UUID) -> None:
        await self.fetch("SELECT id FROM service_version WHERE tenant = $1 AND id = $2 FOR UPDATE", version_id)

    async def delete_by_id(self, version_id: UUID) -> None:
        await self.delete().where(ServiceVersion.id == version_id)


class LabelRepository(TenantRepository[Branch]):
    """Branches and tags of versions (the base scopes on Branch; tag and branch_version SQL filter themselves)."""

    table = Branch

    async def add_branches(self, pairs: list[tuple[UUID, UUID, str]]) -> set[tuple[UUID, str]]:
        """(service id, version id, branch name): creates branches and joins versions to them, race-free;
        returns the (version id, branch name) joins this call made itself."""
        if not pairs:
            return set()
        services = [p[0] for p in pairs]
        versions = [p[1] for p in pairs]
        names = [p[2] for p in pairs]
        await self.fetch(
            "INSERT INTO branch (tenant, service, name) SELECT $1, s, n FROM unnest($2::uuid[], $3::text[]) AS t(s, n) "
            "ON CONFLICT (tenant, service, name) DO NOTHING",
            services,
            names,
        )
        joined = await self.fetch(
            "INSERT INTO branch_version (tenant, branch, version) "
            "SELECT $1, b.id, t.v FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS t(s, v, n) "
            "JOIN branch b ON b.tenant = $1 AND b.service = t.s AND b.name = t.n "
            "ON CONFLICT (branch, version) DO NOTHING "
            "RETURNING version, (SELECT b.name FROM branch b WHERE b.id = branch_version.branch) AS name",
            services,
            versions,
            names,
        )
        return {(row["version"], row["name"]) for row in joined}

    async def add_tags(self, pairs: list[tuple[UUID, str]]) -> set[tuple[UUID, str]]:
        """(version id, tag name) pairs, idempotent; returns the pairs this call inserted itself (a racing
        caller's insert of the same tag waits for this one to commit, then inserts nothing)."""
        if not pairs:
            return set()
        rows = await self.fetch(
            "INSERT INTO tag (tenant, version, name) SELECT $1, v, n FROM unnest($2::uuid[], $3::text[]) AS t(v, n) "
            "ON CONFLICT (version, name) DO NOTHING RETURNING version, name",
            [p[0] for p in pairs],
            [p[1] for p in pairs],
        )
        return {(row["version"], row["name"]) for row in rows}
