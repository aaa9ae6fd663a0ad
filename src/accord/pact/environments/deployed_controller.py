"""Deployed and released versions (record-deployment, record-undeployment, record-release,
record-support-ended, describe-version --environment)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.deployments.presence import DEPLOYED, RELEASED
from accord.deployments.service import PresenceService
from accord.environments.service import EnvironmentService
from accord.errors import FieldError, InvalidInput
from accord.http.pagination import CursorQuery, Page
from accord.pact.environments.deployed_resources import (
    currently_deployed_resource,
    currently_supported_resource,
    deployed_version_resource,
    released_version_resource,
)
from accord.pact.environments.schemas import (
    DeployedVersion,
    DeployedVersionPatch,
    DeploymentFields,
    ReleasedVersion,
    ReleasedVersionPatch,
    currently_deployed_version,
    deployed_version,
    released_version,
    supported_released_version,
)
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import PacticipantName, VersionNumber, resource_id
from accord.pact.resource_urls import deployed_version_url, released_version_url

_FOR_VERSION = "/pacticipants/{pacticipant:str}/versions/{version:str}"


def _status(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class PactDeployedVersionController(Controller):
    path = "/"
    tags = ["pact"]

    @post(
        _FOR_VERSION + "/deployed-versions/environment/{environment_uuid:str}",
        operation_id="PactRecordDeployment",
        summary="201 when recorded, 200 if that version already runs there",
    )
    async def record_deployment(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        environment_uuid: FromPath[str],
        data: JSONBody[DeploymentFields | None] = None,
    ) -> Response[Any]:
        # Unlike Accord's own API, the version and environment must exist already (as in the broker).
        environment_id = resource_id(environment_uuid, "environment")
        fields = data or DeploymentFields()
        instance = fields.application_instance if fields.application_instance is not None else fields.target
        deployment, created = await presence_service.record_existing(
            DEPLOYED,
            service=pacticipant,
            version=version,
            environment_id=environment_id,
            application_instance=instance or "",
        )
        deployed = deployed_version(deployment, await environment_service.get_by_id(environment_id))
        links = Links(request)
        location = {"Location": deployed_version_url(links, deployed.id)}
        return hal(deployed_version_resource(links, deployed), _status(created), headers=location)

    @get("/deployed-versions/{deployment_uuid:str}", operation_id="PactGetDeployedVersion")
    async def get_deployed_version(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        deployment_uuid: FromPath[str],
    ) -> Response[Any]:
        deployed = await _deployed(
            presence_service, environment_service, resource_id(deployment_uuid, "deployed version")
        )
        return hal(deployed_version_resource(Links(request), deployed))

    @patch(
        "/deployed-versions/{deployment_uuid:str}",
        operation_id="PactUpdateDeployedVersion",
        summary='{"currentlyDeployed": false} records the undeployment',
    )
    async def update_deployed_version(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        deployment_uuid: FromPath[str],
        data: JSONBody[DeployedVersionPatch],
    ) -> Response[Any]:
        """`currentlyDeployed: false` records the undeployment (idempotent); it can't be set back to true."""
        deployment_id = resource_id(deployment_uuid, "deployed version")
        if data.currently_deployed is True:
            raise InvalidInput(
                "A deployment can't be made current again; record a new deployment instead.",
                errors=[FieldError(detail="can only be set to false", pointer="/currentlyDeployed")],
            )
        if data.currently_deployed is False:
            await presence_service.end(DEPLOYED, deployment_id)
        deployed = await _deployed(presence_service, environment_service, deployment_id)
        return hal(deployed_version_resource(Links(request), deployed))

    @get(
        "/environments/{environment_uuid:str}/deployed-versions/currently-deployed",
        operation_id="PactListCurrentlyDeployed",
        summary="By pacticipant and application instance; `pacticipant` filters",
    )
    async def currently_deployed(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        environment_uuid: FromPath[str],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        pacticipant: FromQuery[str | None] = None,
    ) -> Response[Any]:
        environment = await environment_service.get_by_id(resource_id(environment_uuid, "environment"))
        current = await presence_service.present_in(
            DEPLOYED, environment.id, limit=size, cursor=cursor, service=pacticipant
        )
        page = Page(items=[currently_deployed_version(c) for c in current.items], next_cursor=current.next_cursor)
        body = currently_deployed_resource(Links(request), environment, page, size=size, pacticipant=pacticipant)
        return hal(body)


class PactReleasedVersionController(Controller):
    path = "/"
    tags = ["pact"]

    @post(
        _FOR_VERSION + "/released-versions/environment/{environment_uuid:str}",
        operation_id="PactRecordRelease",
        summary="201 when recorded, 200 if that version is already supported there; no body",
    )
    async def record_release(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        environment_uuid: FromPath[str],
    ) -> Response[Any]:
        environment_id = resource_id(environment_uuid, "environment")
        release, created = await presence_service.record_existing(
            RELEASED, service=pacticipant, version=version, environment_id=environment_id
        )
        released = released_version(release, await environment_service.get_by_id(environment_id))
        links = Links(request)
        location = {"Location": released_version_url(links, released.id)}
        return hal(released_version_resource(links, released), _status(created), headers=location)

    @get("/released-versions/{release_uuid:str}", operation_id="PactGetReleasedVersion")
    async def get_released_version(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        release_uuid: FromPath[str],
    ) -> Response[Any]:
        released = await _released(presence_service, environment_service, resource_id(release_uuid, "released version"))
        return hal(released_version_resource(Links(request), released))

    @patch(
        "/released-versions/{release_uuid:str}",
        operation_id="PactUpdateReleasedVersion",
        summary='{"currentlySupported": false} records the end of support',
    )
    async def update_released_version(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        release_uuid: FromPath[str],
        data: JSONBody[ReleasedVersionPatch],
    ) -> Response[Any]:
        """`currentlySupported: false` records the end of support (idempotent); it can't be set back to true."""
        release_id = resource_id(release_uuid, "released version")
        if data.currently_supported is True:
            raise InvalidInput(
                "Support that ended can't be resumed; record a new release instead.",
                errors=[FieldError(detail="can only be set to false", pointer="/currentlySupported")],
            )
        if data.currently_supported is False:
            await presence_service.end(RELEASED, release_id)
        released = await _released(presence_service, environment_service, release_id)
        return hal(released_version_resource(Links(request), released))

    @get(
        "/environments/{environment_uuid:str}/released-versions/currently-supported",
        operation_id="PactListCurrentlySupported",
        summary="By pacticipant, newest release first; `pacticipant` filters",
    )
    async def currently_supported(
        self,
        request: Request[Any, Any, Any],
        presence_service: NamedDependency[PresenceService],
        environment_service: NamedDependency[EnvironmentService],
        environment_uuid: FromPath[str],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        pacticipant: FromQuery[str | None] = None,
    ) -> Response[Any]:
        environment = await environment_service.get_by_id(resource_id(environment_uuid, "environment"))
        supported = await presence_service.present_in(
            RELEASED, environment.id, limit=size, cursor=cursor, service=pacticipant
        )
        page = Page(items=[supported_released_version(s) for s in supported.items], next_cursor=supported.next_cursor)
        body = currently_supported_resource(Links(request), environment, page, size=size, pacticipant=pacticipant)
        return hal(body)


async def _deployed(
    presences: PresenceService, environments: EnvironmentService, deployment_id: UUID
) -> DeployedVersion:
    deployment = await presences.get(DEPLOYED, deployment_id)
    return deployed_version(deployment, await environments.get(deployment.environment))


async def _released(presences: PresenceService, environments: EnvironmentService, release_id: UUID) -> ReleasedVersion:
    release = await presences.get(RELEASED, release_id)
    return released_version(release, await environments.get(release.environment))
