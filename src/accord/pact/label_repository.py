"""Tags and branches of versions, one at a time, as the Pact API reads and removes them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.db.repository import TenantRepository
from tables.services import Branch, Tag


class PactTagRepository(TenantRepository[Tag]):
    """Tags of one version (`version_id`)."""

    table = Tag

    async def get(self, version_id: UUID, name: str) -> dict[str, Any] | None:
        rows = await self.fetch(
            "SELECT name, created_at FROM tag WHERE tenant = $1 AND version = $2 AND name = $3", version_id, name
        )
        return rows[0] if rows else None

    async def remove(self, version_id: UUID, name: str) -> bool:
        rows = await self.fetch(
            "DELETE FROM tag WHERE tenant = $1 AND version = $2 AND name = $3 RETURNING id", version_id, name
        )
        return bool(rows)

    async def keep_only(self, version_id: UUID, names: list[str]) -> None:
        """Remove the version's tags that are not named (adding the named ones is the catalog's job)."""
        await self.execute(
            "DELETE FROM tag WHERE tenant = $1 AND version = $2 AND NOT (name = ANY($3::text[]))", version_id, names
        )


class PactBranchRepository(TenantRepository[Branch]):
    """Branches of one service (`service_id`) and the versions on them."""

    table = Branch

    async def get(self, service_id: UUID, name: str) -> dict[str, Any] | None:
        rows = await self.fetch(
            "SELECT id, name, created_at, updated_at FROM branch WHERE tenant = $1 AND service = $2 AND name = $3",
            service_id,
            name,
        )
        return rows[0] if rows else None

    async def list_page(
        self, service_id: UUID, *, limit: int, after: str | None, search: str | None
    ) -> list[dict[str, Any]]:
        """By name; `search` is a case-insensitive substring of the name."""
        return await self.fetch(
            "SELECT id, name, created_at, updated_at FROM branch WHERE tenant = $1 AND service = $2 "
            "AND ($3::text IS NULL OR name > $3) AND ($4::text IS NULL OR strpos(lower(name), lower($4)) > 0) "
            "ORDER BY name LIMIT $5",
            service_id,
            after,
            search,
            limit,
        )

    async def list_numbered_page(
        self, service_id: UUID, *, limit: int, offset: int, search: str | None
    ) -> list[dict[str, Any]]:
        """By name, from `offset`, each with the count of all that match in `total` (the broker's pages)."""
        return await self.fetch(
            "SELECT id, name, created_at, updated_at, count(*) OVER () AS total FROM branch "
            "WHERE tenant = $1 AND service = $2 AND ($3::text IS NULL OR strpos(lower(name), lower($3)) > 0) "
            "ORDER BY name LIMIT $4 OFFSET $5",
            service_id,
            search,
            limit,
            offset,
        )

    async def remove(self, service_id: UUID, name: str) -> bool:
        """Delete a branch; its versions stay, they just leave it."""
        rows = await self.fetch(
            "DELETE FROM branch WHERE tenant = $1 AND service = $2 AND name = $3 RETURNING id", service_id, name
        )
        return bool(rows)

    async def get_version(self, service_id: UUID, name: str, version_id: UUID) -> dict[str, Any] | None:
        rows = await self.fetch(
            "SELECT bv.id, bv.created_at FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
            "WHERE bv.tenant = $1 AND b.service = $2 AND b.name = $3 AND bv.version = $4",
            service_id,
            name,
            version_id,
        )
        return rows[0] if rows else None

    async def remove_version(self, service_id: UUID, name: str, version_id: UUID) -> bool:
        rows = await self.fetch(
            "DELETE FROM branch_version bv USING branch b "
            "WHERE bv.tenant = $1 AND b.tenant = $1 AND b.id = bv.branch AND b.service = $2 AND b.name = $3 "
            "AND bv.version = $4 RETURNING bv.id",
            service_id,
            name,
            version_id,
        )
        return bool(rows)
