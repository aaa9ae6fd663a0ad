"""Queries of releases: versions released to an environment and whether they are still supported."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.deployments.schemas import DeploymentSite
from tables.environments import Release

# Every tenant-owned table joined is filtered by the tenant too, not only the release.
_RELEASES = (
    "SELECT r.id, s.name AS service, v.number AS version, e.name AS environment, r.released_at, "
    "r.support_ended_at, r.currently_supported "
    "FROM release r "
    "JOIN service s ON s.tenant = $1 AND s.id = r.service "
    "JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
    "JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
    "WHERE r.tenant = $1 "
)


class ReleaseRepository(TenantRepository[Release]):
    """Releases; at most one currently supported per (version, environment), by a partial unique index."""

    table = Release

    async def add(self, *, service_id: UUID, version_id: UUID, environment_id: UUID) -> UUID | None:
        """Id of a new supported release, or None when the version is already supported there."""
        rows = await self.fetch(
            "INSERT INTO release (tenant, service, version, environment, released_at) "
            "VALUES ($1, $2, $3, $4, clock_timestamp()) "
            "ON CONFLICT (tenant, version, environment) WHERE currently_supported DO NOTHING RETURNING id",
            service_id,
            version_id,
            environment_id,
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def current(self, version_id: UUID, environment_id: UUID) -> UUID | None:
        """Id of the version's supported release in the environment."""
        rows = await self.fetch(
            "SELECT id FROM release WHERE tenant = $1 AND version = $2 AND environment = $3 AND currently_supported",
            version_id,
            environment_id,
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def latest(self, version_id: UUID, environment_id: UUID) -> UUID | None:
        """Id of the version's most recent release to the environment, supported or not."""
        rows = await self.fetch(
            "SELECT id FROM release WHERE tenant = $1 AND version = $2 AND environment = $3 "
            "ORDER BY released_at DESC, id DESC LIMIT 1",
            version_id,
            environment_id,
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def end(self, release_id: UUID) -> None:
        """End support of one release (a no-op if it already ended)."""
        await self.execute(
            "UPDATE release SET currently_supported = false, support_ended_at = clock_timestamp(), "
            "updated_at = clock_timestamp() WHERE tenant = $1 AND id = $2 AND currently_supported",
            release_id,
        )

    async def get(self, release_id: UUID) -> dict[str, Any] | None:
        rows = await self.fetch(_RELEASES + "AND r.id = $2", release_id)
        return rows[0] if rows else None

    async def list_page(
        self,
        *,
        limit: int,
        before: tuple[datetime.datetime, UUID] | None,
        service: str | None,
        environment: str | None,
        version: str | None,
        currently_supported: bool | None,
    ) -> list[dict[str, Any]]:
        """Newest first, by (released_at, id)."""
        return await self.fetch(
            _RELEASES + "AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR e.name = $3) "
            "AND ($4::text IS NULL OR v.number = $4) AND ($5::boolean IS NULL OR r.currently_supported = $5) "
            "AND ($6::timestamptz IS NULL OR (r.released_at, r.id) < ($6::timestamptz, $7::uuid)) "
            "ORDER BY r.released_at DESC, r.id DESC LIMIT $8",
            service,
            environment,
            version,
            currently_supported,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def supported_in_environment(
        self,
        environment_id: UUID,
        *,
        limit: int,
        after: tuple[str, datetime.datetime, UUID] | None,
        service: str | None,
    ) -> list[dict[str, Any]]:
        """Versions supported in an environment now: by service name, then newest release first."""
        return await self.fetch(
            "SELECT r.id AS release_id, s.name AS service, v.number AS version, r.released_at FROM release r "
            "JOIN service s ON s.tenant = $1 AND s.id = r.service "
            "JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
            "WHERE r.tenant = $1 AND r.environment = $2 AND r.currently_supported "
            "AND ($3::text IS NULL OR s.name = $3) "
            "AND ($4::text IS NULL OR s.name > $4::text "
            "  OR (s.name = $4::text AND (r.released_at, r.id) < ($5::timestamptz, $6::uuid))) "
            "ORDER BY s.name, r.released_at DESC, r.id DESC LIMIT $7",
            environment_id,
            service,
            after[0] if after else None,
            after[1] if after else None,
            after[2] if after else None,
            limit,
        )

    async def sites_of_version(self, version_id: UUID) -> list[DeploymentSite]:
        """Every release of the version, supported or not, oldest first."""
        rows = await self.fetch(
            "SELECT r.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULL::text AS application_instance, r.currently_supported AS current "
            "FROM release r JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
            "WHERE r.tenant = $1 AND r.version = $2 ORDER BY r.released_at, r.id",
            version_id,
        )
        return msgspec.convert(rows, list[DeploymentSite])
