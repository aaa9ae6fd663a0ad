"""Reads of versions in the shape the Pact API renders them: with their branches (and whether they head
them), tags, and what the version resource links to."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.db.repository import TenantRepository
from tables.services import ServiceVersion

# Branch memberships in join order, each flagged when no later version joined that branch (the branch head).
_VERSIONS = (
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


class PactVersionRepository(TenantRepository[ServiceVersion]):
    """Versions of one service at a time (`service_id`), newest first by creation order."""

    table = ServiceVersion

    async def get(self, service_id: UUID, number: str) -> dict[str, Any] | None:
        rows = await self.fetch(_VERSIONS + "AND v.number = $3", service_id, number)
        return rows[0] if rows else None

    async def list_page(self, service_id: UUID, *, limit: int, before: int | None) -> list[dict[str, Any]]:
        return await self.fetch(
            _VERSIONS + "AND ($3::bigint IS NULL OR v.position < $3) ORDER BY v.position DESC LIMIT $4",
            service_id,
            before,
            limit,
        )

    async def list_numbered_page(self, service_id: UUID, *, limit: int, offset: int) -> list[dict[str, Any]]:
        """Newest first, from `offset`, each with the count of all in `total`. The page's ids are chosen first,
        so that only its rows pay for their branches and tags."""
        return await self.fetch(
            "WITH page AS (SELECT id, count(*) OVER () AS total FROM service_version "
            "  WHERE tenant = $1 AND service = $2 ORDER BY position DESC LIMIT $3 OFFSET $4) "
            "SELECT listed.*, page.total FROM ("
            + _VERSIONS
            + "AND v.id IN (SELECT id FROM page)) AS listed JOIN page ON page.id = listed.id "
            "ORDER BY listed.position DESC",
            service_id,
            limit,
            offset,
        )

    async def latest(self, service_id: UUID) -> dict[str, Any] | None:
        rows = await self.fetch(_VERSIONS + "ORDER BY v.position DESC LIMIT 1", service_id)
        return rows[0] if rows else None

    async def latest_with_tag(self, service_id: UUID, tag: str) -> dict[str, Any] | None:
        rows = await self.fetch(
            _VERSIONS + "AND EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = v.id AND t.name = $3) "
            "ORDER BY v.position DESC LIMIT 1",
            service_id,
            tag,
        )
        return rows[0] if rows else None

    async def branch_head(self, service_id: UUID, branch: str) -> dict[str, Any] | None:
        """The version that joined the branch last."""
        rows = await self.fetch(
            _VERSIONS + "AND v.id = (SELECT bv.version FROM branch_version bv "
            "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
            "  WHERE bv.tenant = $1 AND b.service = $2 AND b.name = $3 ORDER BY bv.position DESC LIMIT 1)",
            service_id,
            branch,
        )
        return rows[0] if rows else None

    async def environments(self) -> list[dict[str, Any]]:
        """Every environment of the tenant: a version can be recorded to any of them."""
        return await self.fetch("SELECT id, name, display_name FROM environment WHERE tenant = $1 ORDER BY name")

    async def deployments(self, version_id: UUID) -> list[dict[str, Any]]:
        return await self.fetch(
            "SELECT d.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULLIF(d.application_instance, '') AS application_instance, d.currently_deployed AS current "
            "FROM deployment d JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "WHERE d.tenant = $1 AND d.version = $2 ORDER BY d.deployed_at, d.id",
            version_id,
        )

    async def releases(self, version_id: UUID) -> list[dict[str, Any]]:
        return await self.fetch(
            "SELECT r.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULL::text AS application_instance, r.currently_supported AS current "
            "FROM release r JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
            "WHERE r.tenant = $1 AND r.version = $2 ORDER BY r.released_at, r.id",
            version_id,
        )

    async def pact_providers(self, version_id: UUID) -> list[str]:
        """Providers this version (as a consumer) published contracts for."""
        rows = await self.fetch(
            "SELECT s.name FROM contract_publication p JOIN service s ON s.tenant = $1 AND s.id = p.provider "
            "WHERE p.tenant = $1 AND p.consumer_version = $2 ORDER BY lower(s.name), s.name",
            version_id,
        )
        return [row["name"] for row in rows]

    async def replace_build_url(self, version_id: UUID, build_url: str | None) -> None:
        await self.update({ServiceVersion.build_url: build_url}).where(ServiceVersion.id == version_id)

    async def lock(self, version_id: UUID) -> None:
        """Serialize replacements of one version's fields until the transaction ends.

        NO KEY UPDATE, because the caller already holds the catalog's KEY SHARE lock on the row, as may a
        concurrent replacement: FOR UPDATE would wait for that one's share while it waits for ours (deadlock).
        """
        await self.execute("SELECT id FROM service_version WHERE tenant = $1 AND id = $2 FOR NO KEY UPDATE", version_id)
