"""Queries of versions present in environments: deployments and releases, one table each.

The two tables hold the same history under their own column names, and one base class asks both the same
questions (by id, the history, a version's sites). What differs stays in each table's repository: what a
presence is current *of* (a deployment: its service's application instance; a release: its version), how a
recording keeps that current one unique, and the order of what an environment holds now.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from typing import Any, ClassVar
from uuid import UUID

from accord.db.repository import RowT, TenantRepository
from accord.db.rows import Row
from tables.environments import Deployment, Release

# Every tenant-owned table joined is filtered by the tenant too, not only the presence (p).
_JOINS = (
    "JOIN service s ON s.tenant = $1 AND s.id = p.service JOIN service_version v ON v.tenant = $1 AND v.id = p.version "
)


class PresenceRow(Row, frozen=True, kw_only=True):
    """One deployment or release; a release has no application instance and no deployer."""

    id: UUID
    service: str
    version: str
    environment: str
    application_instance: str = ""
    started_at: datetime.datetime
    ended_at: datetime.datetime | None
    current: bool
    deployed_by: str | None = None


class PresentRow(Row, frozen=True, kw_only=True):
    """A version present in an environment now."""

    id: UUID
    service: str
    version: str
    application_instance: str = ""
    started_at: datetime.datetime


class CurrentDeploymentRow(Row, frozen=True, kw_only=True):
    id: UUID
    version: UUID


class SiteRow(Row, frozen=True, kw_only=True):
    """A deployment or release by where it is: the environment and application instance."""

    id: UUID
    environment: str
    environment_display_name: str | None
    application_instance: str | None
    current: bool


class PresenceRepository(TenantRepository[RowT], ABC):
    """The questions both kinds answer alike, over a table's own names for when a presence started and ended
    and whether it is current (SQL identifiers from the subclass, never values)."""

    started: ClassVar[str]
    ended: ClassVar[str]
    current: ClassVar[str]
    # The application instance ('' for the only one); the columns only this kind has, as PresenceRow names them.
    instance: ClassVar[str]
    details: ClassVar[str]

    def _presences(self) -> str:
        return (
            f"SELECT p.id, s.name AS service, v.number AS version, e.name AS environment, "
            f"p.{self.started} AS started_at, p.{self.ended} AS ended_at, p.{self.current} AS current{self.details} "
            f"FROM {self.table._meta.tablename} p {_JOINS}"
            "JOIN environment e ON e.tenant = $1 AND e.id = p.environment "
            "WHERE p.tenant = $1 "
        )

    async def get(self, presence_id: UUID) -> PresenceRow | None:
        return await self.fetch_one(PresenceRow, self._presences() + "AND p.id = $2", presence_id)

    async def end(self, presence_id: UUID) -> None:
        """End one presence (a no-op if it already ended)."""
        await self.execute(
            f"UPDATE {self.table._meta.tablename} SET {self.current} = false, {self.ended} = clock_timestamp(), "
            f"updated_at = clock_timestamp() WHERE tenant = $1 AND id = $2 AND {self.current}",
            presence_id,
        )

    async def list_page(
        self,
        *,
        limit: int,
        before: tuple[datetime.datetime, UUID] | None,
        service: str | None,
        environment: str | None,
        version: str | None,
        current: bool | None,
    ) -> list[PresenceRow]:
        """Newest first, by (started, id)."""
        return await self.fetch_as(
            PresenceRow,
            self._presences() + "AND ($2::text IS NULL OR s.name = $2) AND ($3::text IS NULL OR e.name = $3) "
            f"AND ($4::text IS NULL OR v.number = $4) AND ($5::boolean IS NULL OR p.{self.current} = $5) "
            f"AND ($6::timestamptz IS NULL OR (p.{self.started}, p.id) < ($6::timestamptz, $7::uuid)) "
            f"ORDER BY p.{self.started} DESC, p.id DESC LIMIT $8",
            service,
            environment,
            version,
            current,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def sites_of_version(self, version_id: UUID) -> list[SiteRow]:
        """Every presence of the version, current or past, oldest first."""
        return await self.fetch_as(
            SiteRow, self._sites() + f"AND p.version = $2 ORDER BY p.{self.started}, p.id", version_id
        )

    def _sites(self) -> str:
        """SiteRows of this kind's presences, to be narrowed by `AND ...`."""
        return (
            "SELECT p.id, e.name AS environment, e.display_name AS environment_display_name, "
            f"NULLIF({self.instance}, '') AS application_instance, p.{self.current} AS current "
            f"FROM {self.table._meta.tablename} p JOIN environment e ON e.tenant = $1 AND e.id = p.environment "
            "WHERE p.tenant = $1 "
        )

    @abstractmethod
    async def present_in(
        self, environment_id: UUID, *, limit: int, after: tuple[Any, ...] | None, service: str | None
    ) -> list[PresentRow]:
        """What the environment holds now, in the kind's order; `after` is the last row's sort key."""


class DeploymentRepository(PresenceRepository[Deployment]):
    """Deployments; current *of* a target: (service id, environment id, application instance)."""

    table = Deployment
    started = "deployed_at"
    ended = "undeployed_at"
    current = "currently_deployed"
    instance = "p.application_instance"
    details = ", p.application_instance, p.deployed_by"

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

    async def current_of(self, service_id: UUID, environment_id: UUID, instance: str) -> CurrentDeploymentRow | None:
        """The target's current deployment."""
        return await self.fetch_one(
            CurrentDeploymentRow,
            "SELECT id, version FROM deployment WHERE tenant = $1 AND service = $2 AND environment = $3 "
            "AND application_instance = $4 AND currently_deployed",
            service_id,
            environment_id,
            instance,
        )

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

    async def present_in(
        self, environment_id: UUID, *, limit: int, after: tuple[Any, ...] | None, service: str | None
    ) -> list[PresentRow]:
        """By service name and application instance."""
        return await self.fetch_as(
            PresentRow,
            "SELECT p.id, s.name AS service, v.number AS version, p.application_instance, "
            f"p.deployed_at AS started_at FROM deployment p {_JOINS}"
            "WHERE p.tenant = $1 AND p.environment = $2 AND p.currently_deployed "
            "AND ($3::text IS NULL OR s.name = $3) "
            "AND ($4::text IS NULL OR (s.name, p.application_instance) > ($4::text, $5::text)) "
            "ORDER BY s.name, p.application_instance LIMIT $6",
            environment_id,
            service,
            after[0] if after else None,
            after[1] if after else None,
            limit,
        )

    async def current_of_service(self, service_id: UUID) -> list[SiteRow]:
        """Where the service's versions are deployed now, by environment and application instance."""
        return await self.fetch_as(
            SiteRow,
            self._sites() + "AND p.service = $2 AND p.currently_deployed ORDER BY e.name, p.application_instance",
            service_id,
        )


class ReleaseRepository(PresenceRepository[Release]):
    """Releases; current *of* a (version, environment), at most one by a partial unique index."""

    table = Release
    started = "released_at"
    ended = "support_ended_at"
    current = "currently_supported"
    instance = "''"
    details = ""

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

    async def current_of(self, version_id: UUID, environment_id: UUID) -> UUID | None:
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

    async def present_in(
        self, environment_id: UUID, *, limit: int, after: tuple[Any, ...] | None, service: str | None
    ) -> list[PresentRow]:
        """By service name, then newest release first."""
        return await self.fetch_as(
            PresentRow,
            f"SELECT p.id, s.name AS service, v.number AS version, p.released_at AS started_at FROM release p {_JOINS}"
            "WHERE p.tenant = $1 AND p.environment = $2 AND p.currently_supported "
            "AND ($3::text IS NULL OR s.name = $3) "
            "AND ($4::text IS NULL OR s.name > $4::text "
            "  OR (s.name = $4::text AND (p.released_at, p.id) < ($5::timestamptz, $6::uuid))) "
            "ORDER BY s.name, p.released_at DESC, p.id DESC LIMIT $7",
            environment_id,
            service,
            after[0] if after else None,
            after[1] if after else None,
            after[2] if after else None,
            limit,
        )
