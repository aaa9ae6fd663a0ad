"""Queries of deployments: the history of what ran where, and what runs now."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.deployments.schemas import DeploymentSite
from tables.environments import Deployment

# Every tenant-owned table joined is filtered by the tenant too, not only the deployment.
_DEPLOYMENTS = (
    "SELECT d.id, s.name AS service, v.number AS version, e.name AS environment, d.application_instance, "
    "d.deployed_at, d.deployed_by, d.undeployed_at, d.currently_deployed "
    "FROM deployment d "
    "JOIN service s ON s.tenant = $1 AND s.id = d.service "
    "JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
    "JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
    "WHERE d.tenant = $1 "
)


class DeploymentRepository(TenantRepository[Deployment]):
    """Deployments; a target is (service id, environment id, application instance)."""

    table = Deployment

    async def lock_target(self, service_id: UUID, environment_id: UUID, instance: str) -> None:
        """Serialize recordings to one target until the transaction ends.

        A transaction-scoped advisory lock rather than a row lock, because the first deployment to a target has
        no row to lock yet. Holders of the lock read the current deployment in a statement that starts after
        they got it, so they see every earlier recording, and the last to commit is the one left current.
        """
        await self.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(concat_ws('/', 'deployment', $1::uuid, $2::uuid, "
            "$3::uuid, $4::text), 0))",
            service_id,
            environment_id,
            instance,
        )

    async def current(self, service_id: UUID, environment_id: UUID, instance: str) -> dict[str, Any] | None:
        """Id and version id of the target's current deployment."""
        rows = await self.fetch(
            "SELECT id, version FROM deployment WHERE tenant = $1 AND service = $2 AND environment = $3 "
            "AND application_instance = $4 AND currently_deployed",
            service_id,
            environment_id,
            instance,
        )
        return rows[0] if rows else None

    async def end_current(self, service_id: UUID, environment_id: UUID, instance: str) -> datetime.datetime | None:
        """Mark the target's current deployment undeployed; when that happened, if there was one."""
        rows = await self.fetch(
            "UPDATE deployment SET currently_deployed = false, undeployed_at = clock_timestamp(), "
            "updated_at = clock_timestamp() WHERE tenant = $1 AND service = $2 AND environment = $3 "
            "AND application_instance = $4 AND currently_deployed RETURNING undeployed_at",
            service_id,
            environment_id,
            instance,
        )
        return rows[0]["undeployed_at"] if rows else None

    async def add(
        self,
        *,
        service_id: UUID,
        version_id: UUID,
        environment_id: UUID,
        instance: str,
        deployed_by: str | None,
        deployed_at: datetime.datetime | None,
    ) -> UUID:
        """A new current deployment; deployed when the previous one ended, or now (not at transaction start)."""
        rows = await self.fetch(
            "INSERT INTO deployment (tenant, service, version, environment, application_instance, deployed_by, "
            "deployed_at) VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7::timestamptz, clock_timestamp())) RETURNING id",
            service_id,
            version_id,
            environment_id,
            instance,
            deployed_by,
            deployed_at,
        )
        return UUID(str(rows[0]["id"]))

    async def latest(self, service_id: UUID, environment_id: UUID, instance: str) -> UUID | None:
        """Id of the target's most recent deployment, current or not."""
        rows = await self.fetch(
            "SELECT id FROM deployment "
            "WHERE tenant = $1 AND service = $2 AND environment = $3 AND application_instance = $4 "
            "ORDER BY deployed_at DESC, id DESC LIMIT 1",
            service_id,
            environment_id,
            instance,
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def end(self, deployment_id: UUID) -> None:
        """Mark one deployment undeployed (a no-op if it already is)."""
        await self.execute(
            "UPDATE deployment SET currently_deployed = false, undeployed_at = clock_timestamp(), "
            "updated_at = clock_timestamp() WHERE tenant = $1 AND id = $2 AND currently_deployed",
            deployment_id,
        )

    async def get(self, deployment_id: UUID) -> dict[str, Any] | None:
        rows = await self.fetch(_DEPLOYMENTS + "AND d.id = $2", deployment_id)
        return rows[0] if rows else None

    async def list_page(
        self,
        *,
        limit: int,
        before: tuple[datetime.datetime, UUID] | None,
        service: str | None,
        environment: str | None,
        version: str | None,
        currently_deployed: bool | None,
    ) -> list[dict[str, Any]]:
        """Newest first, by (deployed_at, id)."""
        return await self.fetch(
            _DEPLOYMENTS + "AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR e.name = $3) "
            "AND ($4::text IS NULL OR v.number = $4) AND ($5::boolean IS NULL OR d.currently_deployed = $5) "
            "AND ($6::timestamptz IS NULL OR (d.deployed_at, d.id) < ($6::timestamptz, $7::uuid)) "
            "ORDER BY d.deployed_at DESC, d.id DESC LIMIT $8",
            service,
            environment,
            version,
            currently_deployed,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def current_in_environment(
        self, environment_id: UUID, *, limit: int, after: tuple[str, str] | None, service: str | None
    ) -> list[dict[str, Any]]:
        """What runs in an environment now, by service name and application instance."""
        return await self.fetch(
            "SELECT d.id AS deployment_id, s.name AS service, v.number AS version, d.application_instance, "
            "d.deployed_at FROM deployment d "
            "JOIN service s ON s.tenant = $1 AND s.id = d.service "
            "JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
            "WHERE d.tenant = $1 AND d.environment = $2 AND d.currently_deployed "
            "AND ($3::text IS NULL OR s.name = $3) "
            "AND ($4::text IS NULL OR (s.name, d.application_instance) > ($4::text, $5::text)) "
            "ORDER BY s.name, d.application_instance LIMIT $6",
            environment_id,
            service,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def current_of_service(self, service_id: UUID) -> list[DeploymentSite]:
        """Where the service's versions are deployed now, by environment and application instance."""
        rows = await self.fetch(
            "SELECT d.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULLIF(d.application_instance, '') AS application_instance, d.currently_deployed AS current "
            "FROM deployment d JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "WHERE d.tenant = $1 AND d.service = $2 AND d.currently_deployed "
            "ORDER BY e.name, d.application_instance",
            service_id,
        )
        return msgspec.convert(rows, list[DeploymentSite])

    async def sites_of_version(self, version_id: UUID) -> list[DeploymentSite]:
        """Every deployment of the version, current or past, oldest first."""
        rows = await self.fetch(
            "SELECT d.id, e.name AS environment, e.display_name AS environment_display_name, "
            "NULLIF(d.application_instance, '') AS application_instance, d.currently_deployed AS current "
            "FROM deployment d JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "WHERE d.tenant = $1 AND d.version = $2 ORDER BY d.deployed_at, d.id",
            version_id,
        )
        return msgspec.convert(rows, list[DeploymentSite])
