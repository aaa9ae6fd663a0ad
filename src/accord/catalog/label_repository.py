"""Queries of the labels of versions: branches (and the versions on them) and tags."""

from __future__ import annotations

from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchJoin, ServiceBranch, VersionTag
from accord.db.counted_rows import Counted, counted
from accord.db.repository import TenantRepository
from tables.services import Branch


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

    # Tags of one version -------------------------------------------------------------------------------------

    async def tag(self, version_id: UUID, name: str) -> VersionTag | None:
        rows = await self.fetch(
            "SELECT name, created_at FROM tag WHERE tenant = $1 AND version = $2 AND name = $3", version_id, name
        )
        return msgspec.convert(rows[0], VersionTag) if rows else None

    async def remove_tag(self, version_id: UUID, name: str) -> bool:
        rows = await self.fetch(
            "DELETE FROM tag WHERE tenant = $1 AND version = $2 AND name = $3 RETURNING id", version_id, name
        )
        return bool(rows)

    async def keep_only_tags(self, version_id: UUID, names: list[str]) -> None:
        """Remove the version's tags that are not named (add_tags adds the named ones)."""
        await self.execute(
            "DELETE FROM tag WHERE tenant = $1 AND version = $2 AND NOT (name = ANY($3::text[]))", version_id, names
        )

    # Branches of one service ---------------------------------------------------------------------------------

    async def branch(self, service_id: UUID, name: str) -> ServiceBranch | None:
        rows = await self.fetch(
            "SELECT name, created_at, updated_at FROM branch WHERE tenant = $1 AND service = $2 AND name = $3",
            service_id,
            name,
        )
        return msgspec.convert(rows[0], ServiceBranch) if rows else None

    async def branches_page(
        self, service_id: UUID, *, limit: int, after: str | None, search: str | None
    ) -> list[ServiceBranch]:
        """By name; `search` is a case-insensitive substring of the name."""
        rows = await self.fetch(
            "SELECT name, created_at, updated_at FROM branch WHERE tenant = $1 AND service = $2 "
            "AND ($3::text IS NULL OR name > $3) AND ($4::text IS NULL OR strpos(lower(name), lower($4)) > 0) "
            "ORDER BY name LIMIT $5",
            service_id,
            after,
            search,
            limit,
        )
        return msgspec.convert(rows, list[ServiceBranch])

    async def branches_numbered_page(
        self, service_id: UUID, *, limit: int, offset: int, search: str | None
    ) -> Counted[ServiceBranch]:
        """By name, from `offset`, with the count of all that match."""
        rows = await self.fetch(
            "SELECT name, created_at, updated_at, count(*) OVER () AS total FROM branch "
            "WHERE tenant = $1 AND service = $2 AND ($3::text IS NULL OR strpos(lower(name), lower($3)) > 0) "
            "ORDER BY name LIMIT $4 OFFSET $5",
            service_id,
            search,
            limit,
            offset,
        )
        return counted(rows, ServiceBranch)

    async def remove_branch(self, service_id: UUID, name: str) -> bool:
        """Delete a branch; its versions stay, they just leave it."""
        rows = await self.fetch(
            "DELETE FROM branch WHERE tenant = $1 AND service = $2 AND name = $3 RETURNING id", service_id, name
        )
        return bool(rows)

    async def branch_join(self, service_id: UUID, name: str, version_id: UUID) -> BranchJoin | None:
        rows = await self.fetch(
            "SELECT bv.created_at FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
            "WHERE bv.tenant = $1 AND b.service = $2 AND b.name = $3 AND bv.version = $4",
            service_id,
            name,
            version_id,
        )
        return msgspec.convert(rows[0], BranchJoin) if rows else None

    async def remove_from_branch(self, service_id: UUID, name: str, version_id: UUID) -> bool:
        rows = await self.fetch(
            "DELETE FROM branch_version bv USING branch b "
            "WHERE bv.tenant = $1 AND b.tenant = $1 AND b.id = bv.branch AND b.service = $2 AND b.name = $3 "
            "AND bv.version = $4 RETURNING bv.id",
            service_id,
            name,
            version_id,
        )
        return bool(rows)
