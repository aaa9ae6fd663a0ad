"""Deployments: recording what runs where, replacing what ran there before, and the history of both."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.catalog.schemas import VersionRef
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.deployments.repository import DeploymentRepository
from accord.deployments.schemas import DeployedVersion, Deployment, DeploymentSite
from accord.environments.service import EnvironmentService
from accord.errors import NotFound
from accord.http.pagination import Page, decode_cursor, encode_cursor, page_of
from accord.tenant_ids import TenantId

# In a class with a `list` method, `list[...]` in annotations would name the method.
DeploymentSites = list[DeploymentSite]


class DeploymentService:
    """A tenant's deployments; callable from any API that records or reads them (REST, Pact HAL)."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.environments = EnvironmentService(tenant)
        self.deployments = DeploymentRepository(tenant)

    async def record_deployment(
        self,
        *,
        service: str,
        version: str,
        environment: str,
        application_instance: str = "",
        deployed_by: str | None = None,
        branch: str | None = None,
    ) -> tuple[Deployment, bool]:
        """The version as the target's current deployment, and whether it was recorded just now.

        Creates the service, version and environment if needed and marks the target's previous deployment
        undeployed. Recording the version that is already current there changes nothing (False).
        """
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(VersionMention(service=service, number=version, branch=branch))
            environment_id = await self.environments.ensure_environment(environment)
            record, created = await self._record(ref, environment_id, application_instance, deployed_by)
        return record, created

    async def record_existing_deployment(
        self, *, service: str, version: str, environment_id: UUID, application_instance: str = ""
    ) -> tuple[Deployment, bool]:
        """record_deployment of a version and to an environment that both exist already (NotFound otherwise),
        the environment given by id; creates nothing else."""
        async with get_engine().transaction():
            ref = await self.catalog.find_version(service, version)
            await self.environments.hold(environment_id)
            record, created = await self._record(ref, environment_id, application_instance, None)
        return record, created

    async def _record(
        self, ref: VersionRef, environment_id: UUID, application_instance: str, deployed_by: str | None
    ) -> tuple[Deployment, bool]:
        """The rule of deployments: the version replaces what ran in the environment's target (service and
        application instance) before. Call inside the recording transaction."""
        target = (ref.service_id, environment_id, application_instance)
        await self.deployments.lock_target(*target)
        current = await self.deployments.current(*target)
        if current is not None and current["version"] == ref.version_id:
            deployment_id, created = UUID(str(current["id"])), False
        else:
            ended_at = await self.deployments.end_current(*target)
            deployment_id = await self.deployments.add(
                service_id=ref.service_id,
                version_id=ref.version_id,
                environment_id=environment_id,
                instance=application_instance,
                deployed_by=deployed_by,
                deployed_at=ended_at,
            )
            created = True
        # Read inside the transaction: the response shows this recording, not a later one's effect.
        return await self.get(deployment_id), created

    async def undeploy(self, deployment_id: UUID) -> Deployment:
        """Mark a deployment no longer deployed; idempotent."""
        await self.deployments.end(deployment_id)
        return await self.get(deployment_id)

    async def undeploy_target(self, *, service: str, environment: str, application_instance: str = "") -> Deployment:
        """Mark whatever is deployed to the target no longer deployed; idempotent, NotFound if nothing ever was."""
        async with get_engine().transaction():
            target = (
                await self.catalog.service_id(service),
                await self.environments.environment_id(environment),
                application_instance,
            )
            await self.deployments.lock_target(*target)
            await self.deployments.end_current(*target)
            latest = await self.deployments.latest(*target)
        if latest is None:
            raise NotFound(f"Nothing was deployed of '{service}' to '{environment}'{_instance(application_instance)}.")
        return await self.get(latest)

    async def get(self, deployment_id: UUID) -> Deployment:
        row = await self.deployments.get(deployment_id)
        if row is None:
            raise NotFound(f"No deployment with id {deployment_id}.")
        return msgspec.convert(row, Deployment)

    async def list(
        self,
        *,
        limit: int,
        cursor: str | None,
        service: str | None = None,
        environment: str | None = None,
        version: str | None = None,
        currently_deployed: bool | None = None,
    ) -> Page[Deployment]:
        """The deployment history, newest first."""
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.deployments.list_page(
            limit=limit + 1,
            before=(before[0], before[1]) if before else None,
            service=service,
            environment=environment,
            version=version,
            currently_deployed=currently_deployed,
        )
        return page_of(
            rows, limit, lambda row: msgspec.convert(row, Deployment), lambda item: (item.deployed_at, item.id)
        )

    async def currently_deployed(
        self, environment: str, *, limit: int, cursor: str | None, service: str | None = None
    ) -> Page[DeployedVersion]:
        """What runs in an environment now, by service and application instance; NotFound for no environment."""
        environment_id = await self.environments.environment_id(environment)
        return await self.currently_deployed_in(environment_id, limit=limit, cursor=cursor, service=service)

    async def currently_deployed_in(
        self, environment_id: UUID, *, limit: int, cursor: str | None, service: str | None = None
    ) -> Page[DeployedVersion]:
        """currently_deployed, the environment given by id."""
        after = decode_cursor(cursor, str, str)
        rows = await self.deployments.current_in_environment(
            environment_id, limit=limit + 1, after=(after[0], after[1]) if after else None, service=service
        )
        items = [msgspec.convert(row, DeployedVersion) for row in rows[:limit]]
        next_cursor = encode_cursor(items[-1].service, items[-1].application_instance) if len(rows) > limit else None
        return Page(items=items, next_cursor=next_cursor)

    async def current_sites(self, service: str) -> DeploymentSites:
        """Where the service's versions are deployed now."""
        return await self.deployments.current_of_service(await self.catalog.service_id(service))

    async def sites_of_version(self, version_id: UUID) -> DeploymentSites:
        """Every deployment of the version, current or past, oldest first."""
        return await self.deployments.sites_of_version(version_id)


def _instance(application_instance: str) -> str:
    return f" (instance '{application_instance}')" if application_instance else ""
