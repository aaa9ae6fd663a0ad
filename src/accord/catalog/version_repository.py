"""Queries of service versions: auto-creation (see accord.catalog.repository), and the history of one service's
versions with their branches and tags."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from accord.catalog.repository import ENSURE_ATTEMPTS
from accord.db.counted_rows import Counted, counted
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from accord.errors import Conflict
from tables.services import ServiceVersion

# Branch memberships in join order, each flagged when no later version joined that branch (the branch head).
_ENTRIES = (
    "SELECT v.id, v.number, v.build_url, v.created_at, v.updated_at, v.position, "
    "COALESCE((SELECT array_agg(b.name ORDER BY bv.position) FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = v.id), "
    "  '{}') AS branches, "
    "COALESCE((SELECT array_agg(b.name) FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = v.id "
    "  AND NOT EXISTS (SELECT 1 FROM branch_version later WHERE later.tenant = $1 AND later.branch = bv.branch "
    "    AND later.position > bv.position)), '{}') AS head_of, "
    "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = v.id), "
    "  '{}') AS tags "
    "FROM service_version v WHERE v.tenant = $1 AND v.service = $2 "
)


class KnownMention(Row, frozen=True, kw_only=True):
    """A stored service (number, version and branch None) or a stored version of one mentioned with a branch
    ('' for none), and whether the version is on that branch (True when mentioned with none)."""

    service: str
    service_id: UUID
    number: str | None
    version_id: UUID | None
    branch: str | None
    on_branch: bool | None


class VersionRow(Row, frozen=True, kw_only=True):
    """A version's own columns, as the native API shows them (its branches and tags come from `labels`)."""

    id: UUID
    number: str
    git_sha: str | None
    build_url: str | None
    created_at: datetime.datetime
    position: int


class VersionEntryRow(Row, frozen=True, kw_only=True):
    """A version in the history (_ENTRIES): its branches in join order, those it heads, its tags by name."""

    id: UUID
    number: str
    build_url: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    position: int
    branches: list[str]
    head_of: list[str]
    tags: list[str]


class VersionRepository(TenantRepository[ServiceVersion]):
    table = ServiceVersion

    async def known_mentions(self, services: list[str], mentions: list[tuple[str, str, str]]) -> list[KnownMention]:
        """The named services and the (service, number, branch or '') versions that exist already, key-share
        locked as `ensure` locks them, in one statement (ServiceCatalog writes only what this doesn't find)."""
        return await self.fetch_as(
            KnownMention,
            "WITH s AS MATERIALIZED ("
            "  SELECT id, name FROM service WHERE tenant = $1 AND name = ANY($2::text[]) ORDER BY name FOR KEY SHARE), "
            "v AS MATERIALIZED ("
            "  SELECT s.name, v.service, v.number, v.id, t.b, "
            "    t.b = '' OR EXISTS (SELECT 1 FROM branch b JOIN branch_version bv ON bv.tenant = $1 "
            "      AND bv.branch = b.id AND bv.version = v.id WHERE b.tenant = $1 AND b.service = v.service "
            "      AND b.name = t.b) AS on_branch "
            "  FROM unnest($3::text[], $4::text[], $5::text[]) AS t(s, n, b) JOIN s ON s.name = t.s "
            "  JOIN service_version v ON v.tenant = $1 AND v.service = s.id AND v.number = t.n "
            "  ORDER BY v.id FOR KEY SHARE OF v) "
            "SELECT name AS service, id AS service_id, NULL::text AS number, NULL::uuid AS version_id, "
            "NULL::text AS branch, NULL::bool AS on_branch FROM s "
            "UNION ALL SELECT name, service, number, id, b, on_branch FROM v",
            services,
            [m[0] for m in mentions],
            [m[1] for m in mentions],
            [m[2] for m in mentions],
        )

    async def ensure(self, keys: list[tuple[UUID, str, str | None]]) -> tuple[dict[tuple[UUID, str], UUID], set[UUID]]:
        """Ids of (service id, number) versions, creating missing ones with their semver key, and the ids of
        those this call inserted itself."""
        service_ids = [key[0] for key in keys]
        numbers = [key[1] for key in keys]
        semver_keys = [key[2] for key in keys]
        inserted: set[UUID] = set()
        for _ in range(ENSURE_ATTEMPTS):
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

    async def get(self, service_id: UUID, number: str) -> VersionRow | None:
        return await self.fetch_one(
            VersionRow,
            "SELECT id, number, git_sha, build_url, created_at, position FROM service_version "
            "WHERE tenant = $1 AND service = $2 AND number = $3",
            service_id,
            number,
        )

    async def list_page(
        self, *, service_id: UUID, limit: int, before: int | None, branch: str | None, tag: str | None
    ) -> list[VersionRow]:
        """Newest first (by creation order), optionally only those on a branch or with a tag."""
        return await self.fetch_as(
            VersionRow,
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

    async def lock_all_for_delete(self, version_ids: list[UUID]) -> None:
        await self.fetch("SELECT id FROM service_version WHERE tenant = $1 AND id = ANY($2) FOR UPDATE", version_ids)

    async def delete_all(self, version_ids: list[UUID]) -> None:
        """Every row that refers to a deleted version goes with it (ON DELETE CASCADE)."""
        await self.execute("DELETE FROM service_version WHERE tenant = $1 AND id = ANY($2)", version_ids)

    # The history: versions newest first, with branches and tags ----------------------------------------------

    async def entry(self, service_id: UUID, number: str) -> VersionEntryRow | None:
        return await self.fetch_one(VersionEntryRow, _ENTRIES + "AND v.number = $3", service_id, number)

    async def entries_page(self, service_id: UUID, *, limit: int, before: int | None) -> list[VersionEntryRow]:
        return await self.fetch_as(
            VersionEntryRow,
            _ENTRIES + "AND ($3::bigint IS NULL OR v.position < $3) ORDER BY v.position DESC LIMIT $4",
            service_id,
            before,
            limit,
        )

    async def entries_numbered_page(self, service_id: UUID, *, limit: int, offset: int) -> Counted[VersionEntryRow]:
        """Newest first, from `offset`, with the count of all. The page's ids are chosen first, so that only its
        rows pay for their branches and tags."""
        rows = await self.fetch(
            "WITH page AS (SELECT id, count(*) OVER () AS total FROM service_version "
            "  WHERE tenant = $1 AND service = $2 ORDER BY position DESC LIMIT $3 OFFSET $4) "
            "SELECT listed.*, page.total FROM ("
            + _ENTRIES
            + "AND v.id IN (SELECT id FROM page)) AS listed JOIN page ON page.id = listed.id "
            "ORDER BY listed.position DESC",
            service_id,
            limit,
            offset,
        )
        return counted(rows, VersionEntryRow)

    async def latest_entry(self, service_id: UUID) -> VersionEntryRow | None:
        return await self.fetch_one(VersionEntryRow, _ENTRIES + "ORDER BY v.position DESC LIMIT 1", service_id)

    async def latest_entry_with_tag(self, service_id: UUID, tag: str) -> VersionEntryRow | None:
        return await self.fetch_one(
            VersionEntryRow,
            _ENTRIES + "AND EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = v.id AND t.name = $3) "
            "ORDER BY v.position DESC LIMIT 1",
            service_id,
            tag,
        )

    async def branch_head_entry(self, service_id: UUID, branch: str) -> VersionEntryRow | None:
        """The version that joined the branch last."""
        return await self.fetch_one(
            VersionEntryRow,
            _ENTRIES + "AND v.id = (SELECT bv.version FROM branch_version bv "
            "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
            "  WHERE bv.tenant = $1 AND b.service = $2 AND b.name = $3 ORDER BY bv.position DESC LIMIT 1)",
            service_id,
            branch,
        )

    async def set_build_url(self, version_id: UUID, build_url: str | None) -> None:
        await self.update({ServiceVersion.build_url: build_url}).where(ServiceVersion.id == version_id)

    async def lock_fields(self, version_id: UUID) -> None:
        """Serialize replacements of one version's fields until the transaction ends.

        NO KEY UPDATE, because the caller already holds the catalog's KEY SHARE lock on the row, as may a
        concurrent replacement: FOR UPDATE would wait for that one's share while it waits for ours (deadlock).
        """
        await self.execute("SELECT id FROM service_version WHERE tenant = $1 AND id = $2 FOR NO KEY UPDATE", version_id)
