"""Deployed and released versions as the Pact API records and reads them: a version of a pacticipant, an
environment by id, and Accord's deployments and releases underneath."""

from __future__ import annotations

from uuid import UUID

from accord.catalog.service import ServiceCatalog
from accord.db.engine import get_engine
from accord.deployments.release_service import ReleaseService
from accord.deployments.schemas import Deployment, Release
from accord.deployments.service import DeploymentService
from accord.environments.schemas import Environment
from accord.errors import FieldError, InvalidInput
from accord.http.pagination import Page
from accord.pact.environment_schemas import (
    DeployedVersion,
    DeployedVersionPatch,
    ReleasedVersion,
    ReleasedVersionPatch,
)
from accord.pact.environment_service import PactEnvironmentService
from accord.tenancy.ids import TenantId


class PactDeploymentService:
    """A tenant's deployed and released versions."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.environments = PactEnvironmentService(tenant)
        self.deployments = DeploymentService(tenant)
        self.releases = ReleaseService(tenant)

    # Deployed versions -----------------------------------------------------------------------------------

    async def record_deployment(
        self, pacticipant: str, number: str, environment_id: UUID, application_instance: str | None
    ) -> tuple[DeployedVersion, bool]:
        """The version as what runs in the environment (replacing what ran there); True if recorded now.

        Unlike Accord's own API, the version and environment must exist already (as in the broker).
        """
        async with get_engine().transaction():
            await self.catalog.find_version(pacticipant, number)
            name = await self.environments.name_of(environment_id)
            deployment, created = await self.deployments.record_deployment(
                service=pacticipant, version=number, environment=name, application_instance=application_instance or ""
            )
            environment = await self.environments.get(environment_id)
        return _deployed(deployment, environment), created

    async def deployed_version(self, deployment_id: UUID) -> DeployedVersion:
        deployment = await self.deployments.get(deployment_id)
        return _deployed(deployment, await self.environments.get_named(deployment.environment))

    async def change_deployed_version(self, deployment_id: UUID, data: DeployedVersionPatch) -> DeployedVersion:
        """`currentlyDeployed: false` records the undeployment (idempotent); it can't be set back to true."""
        if data.currently_deployed is True:
            raise InvalidInput(
                "A deployment can't be made current again; record a new deployment instead.",
                errors=[FieldError(detail="can only be set to false", pointer="/currentlyDeployed")],
            )
        if data.currently_deployed is False:
            await self.deployments.undeploy(deployment_id)
        return await self.deployed_version(deployment_id)

    async def currently_deployed(
        self, environment_id: UUID, *, pacticipant: str | None, limit: int, cursor: str | None
    ) -> tuple[Environment, Page[DeployedVersion]]:
        environment = await self.environments.get(environment_id)
        page = await self.deployments.currently_deployed(
            environment.name, limit=limit, cursor=cursor, service=pacticipant
        )
        items = [
            DeployedVersion(
                id=current.deployment_id,
                pacticipant=current.service,
                version=current.version,
                application_instance=current.application_instance or None,
                currently_deployed=True,
                deployed_at=current.deployed_at,
                undeployed_at=None,
            )
            for current in page.items
        ]
        return environment, Page(items=items, next_cursor=page.next_cursor)

    # Released versions -----------------------------------------------------------------------------------

    async def record_release(self, pacticipant: str, number: str, environment_id: UUID) -> tuple[ReleasedVersion, bool]:
        """The version as supported in the environment (alongside others); True if recorded now."""
        async with get_engine().transaction():
            await self.catalog.find_version(pacticipant, number)
            name = await self.environments.name_of(environment_id)
            release, created = await self.releases.record_release(service=pacticipant, version=number, environment=name)
            environment = await self.environments.get(environment_id)
        return _released(release, environment), created

    async def released_version(self, release_id: UUID) -> ReleasedVersion:
        release = await self.releases.get(release_id)
        return _released(release, await self.environments.get_named(release.environment))

    async def change_released_version(self, release_id: UUID, data: ReleasedVersionPatch) -> ReleasedVersion:
        """`currentlySupported: false` records the end of support (idempotent); it can't be set back to true."""
        if data.currently_supported is True:
            raise InvalidInput(
                "Support that ended can't be resumed; record a new release instead.",
                errors=[FieldError(detail="can only be set to false", pointer="/currentlySupported")],
            )
        if data.currently_supported is False:
            await self.releases.end_support(release_id)
        return await self.released_version(release_id)

    async def currently_supported(
        self, environment_id: UUID, *, pacticipant: str | None, limit: int, cursor: str | None
    ) -> tuple[Environment, Page[ReleasedVersion]]:
        environment = await self.environments.get(environment_id)
        page = await self.releases.currently_supported(
            environment.name, limit=limit, cursor=cursor, service=pacticipant
        )
        items = [
            ReleasedVersion(
                id=supported.release_id,
                pacticipant=supported.service,
                version=supported.version,
                currently_supported=True,
                released_at=supported.released_at,
                support_ended_at=None,
            )
            for supported in page.items
        ]
        return environment, Page(items=items, next_cursor=page.next_cursor)


def _deployed(deployment: Deployment, environment: Environment) -> DeployedVersion:
    return DeployedVersion(
        id=deployment.id,
        pacticipant=deployment.service,
        version=deployment.version,
        application_instance=deployment.application_instance or None,
        currently_deployed=deployment.currently_deployed,
        deployed_at=deployment.deployed_at,
        undeployed_at=deployment.undeployed_at,
        environment=environment,
    )


def _released(release: Release, environment: Environment) -> ReleasedVersion:
    return ReleasedVersion(
        id=release.id,
        pacticipant=release.service,
        version=release.version,
        currently_supported=release.currently_supported,
        released_at=release.released_at,
        support_ended_at=release.support_ended_at,
        environment=environment,
    )
