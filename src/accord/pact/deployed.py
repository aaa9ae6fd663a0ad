"""Deployed and released versions (record-deployment, record-undeployment, record-release,
record-support-ended, describe-version --environment)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.http.pagination import CursorQuery
from accord.pact.deployed_resources import (
    currently_deployed_resource,
    currently_supported_resource,
    deployed_version_resource,
    released_version_resource,
)
from accord.pact.deployed_service import PactDeploymentService
from accord.pact.environment_schemas import DeployedVersionPatch, DeploymentFields, ReleasedVersionPatch
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import PacticipantName, VersionNumber, resource_id
from accord.pact.resource_urls import deployed_version_url, released_version_url
from accord.tenancy.ids import TenantId

_FOR_VERSION = "/pacticipants/{pacticipant:str}/versions/{version:str}"


def provide_pact_deployment_service(tenant_id: NamedDependency[TenantId]) -> PactDeploymentService:
    return PactDeploymentService(tenant_id)


def _status(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class PactDeployedVersionController(Controller):
    path = "/"
    tags = ["pact"]
    dependencies = {"deployments": Provide(provide_pact_deployment_service, sync_to_thread=False)}

    @post(
        _FOR_VERSION + "/deployed-versions/environment/{environment_uuid:str}",
        operation_id="PactRecordDeployment",
        summary="201 when recorded, 200 if that version already runs there",
    )
    async def record_deployment(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        environment_uuid: FromPath[str],
        data: JSONBody[DeploymentFields | None] = None,
    ) -> Response[Any]:
        environment_id = resource_id(environment_uuid, "environment")
        fields = data or DeploymentFields()
        instance = fields.application_instance if fields.application_instance is not None else fields.target
        deployed, created = await deployments.record_deployment(pacticipant, version, environment_id, instance)
        links = Links(request)
        location = {"Location": deployed_version_url(links, deployed.id)}
        return hal(deployed_version_resource(links, deployed), _status(created), headers=location)

    @get("/deployed-versions/{deployment_uuid:str}", operation_id="PactGetDeployedVersion")
    async def get_deployed_version(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        deployment_uuid: FromPath[str],
    ) -> Response[Any]:
        deployed = await deployments.deployed_version(resource_id(deployment_uuid, "deployed version"))
        return hal(deployed_version_resource(Links(request), deployed))

    @patch(
        "/deployed-versions/{deployment_uuid:str}",
        operation_id="PactUpdateDeployedVersion",
        summary='{"currentlyDeployed": false} records the undeployment',
    )
    async def update_deployed_version(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        deployment_uuid: FromPath[str],
        data: JSONBody[DeployedVersionPatch],
    ) -> Response[Any]:
        deployment_id = resource_id(deployment_uuid, "deployed version")
        deployed = await deployments.change_deployed_version(deployment_id, data)
        return hal(deployed_version_resource(Links(request), deployed))

    @get(
        "/environments/{environment_uuid:str}/deployed-versions/currently-deployed",
        operation_id="PactListCurrentlyDeployed",
        summary="By pacticipant and application instance; `pacticipant` filters",
    )
    async def currently_deployed(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        environment_uuid: FromPath[str],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        pacticipant: FromQuery[str | None] = None,
    ) -> Response[Any]:
        environment, page = await deployments.currently_deployed(
            resource_id(environment_uuid, "environment"), pacticipant=pacticipant, limit=size, cursor=cursor
        )
        body = currently_deployed_resource(Links(request), environment, page, size=size, pacticipant=pacticipant)
        return hal(body)


class PactReleasedVersionController(Controller):
    path = "/"
    tags = ["pact"]
    dependencies = {"deployments": Provide(provide_pact_deployment_service, sync_to_thread=False)}

    @post(
        _FOR_VERSION + "/released-versions/environment/{environment_uuid:str}",
        operation_id="PactRecordRelease",
        summary="201 when recorded, 200 if that version is already supported there; no body",
    )
    async def record_release(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        environment_uuid: FromPath[str],
    ) -> Response[Any]:
        environment_id = resource_id(environment_uuid, "environment")
        released, created = await deployments.record_release(pacticipant, version, environment_id)
        links = Links(request)
        location = {"Location": released_version_url(links, released.id)}
        return hal(released_version_resource(links, released), _status(created), headers=location)

    @get("/released-versions/{release_uuid:str}", operation_id="PactGetReleasedVersion")
    async def get_released_version(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        release_uuid: FromPath[str],
    ) -> Response[Any]:
        released = await deployments.released_version(resource_id(release_uuid, "released version"))
        return hal(released_version_resource(Links(request), released))

    @patch(
        "/released-versions/{release_uuid:str}",
        operation_id="PactUpdateReleasedVersion",
        summary='{"currentlySupported": false} records the end of support',
    )
    async def update_released_version(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        release_uuid: FromPath[str],
        data: JSONBody[ReleasedVersionPatch],
    ) -> Response[Any]:
        released = await deployments.change_released_version(resource_id(release_uuid, "released version"), data)
        return hal(released_version_resource(Links(request), released))

    @get(
        "/environments/{environment_uuid:str}/released-versions/currently-supported",
        operation_id="PactListCurrentlySupported",
        summary="By pacticipant, newest release first; `pacticipant` filters",
    )
    async def currently_supported(
        self,
        request: Request[Any, Any, Any],
        deployments: NamedDependency[PactDeploymentService],
        environment_uuid: FromPath[str],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        pacticipant: FromQuery[str | None] = None,
    ) -> Response[Any]:
        environment, page = await deployments.currently_supported(
            resource_id(environment_uuid, "environment"), pacticipant=pacticipant, limit=size, cursor=cursor
        )
        body = currently_supported_resource(Links(request), environment, page, size=size, pacticipant=pacticipant)
        return hal(body)
