from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.deployments.release_service import ReleaseService
from accord.deployments.schemas import (
    DeployedVersion,
    Deployment,
    DeploymentCreate,
    DeploymentTarget,
    Release,
    ReleaseCreate,
    ReleaseTarget,
    SupportedVersion,
)
from accord.deployments.service import DeploymentService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenant_ids import TenantId


def provide_deployment_service(tenant_id: NamedDependency[TenantId]) -> DeploymentService:
    return DeploymentService(tenant_id)


def provide_release_service(tenant_id: NamedDependency[TenantId]) -> ReleaseService:
    return ReleaseService(tenant_id)


def _created_or_existing(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class DeploymentController(Controller):
    path = "/api/deployments"
    tags = ["deployments"]
    dependencies = {"deployments": Provide(provide_deployment_service, sync_to_thread=False)}

    @post("/", operation_id="RecordDeployment", summary="201 when recorded, 200 if that version already runs there")
    async def record_deployment(
        self, deployments: NamedDependency[DeploymentService], data: JSONBody[DeploymentCreate]
    ) -> Response[Deployment]:
        deployment, created = await deployments.record_deployment(**msgspec.structs.asdict(data))
        return Response(deployment, status_code=_created_or_existing(created))

    @post("/undeploy", operation_id="UndeployTarget", status_code=HTTP_200_OK, summary="Undeploy by target")
    async def undeploy_target(
        self, deployments: NamedDependency[DeploymentService], data: JSONBody[DeploymentTarget]
    ) -> Deployment:
        return await deployments.undeploy_target(**msgspec.structs.asdict(data))

    @post("/{deployment_id:uuid}/undeploy", operation_id="Undeploy", status_code=HTTP_200_OK)
    async def undeploy(
        self, deployments: NamedDependency[DeploymentService], deployment_id: FromPath[UUID]
    ) -> Deployment:
        return await deployments.undeploy(deployment_id)

    @get("/", operation_id="ListDeployments", summary="Deployment history, newest first")
    async def list_deployments(
        self,
        deployments: NamedDependency[DeploymentService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
        environment: FromQuery[str | None] = None,
        version: FromQuery[str | None] = None,
        currently_deployed: FromQuery[bool | None] = None,
    ) -> Page[Deployment]:
        return await deployments.list(
            limit=limit,
            cursor=cursor,
            service=service,
            environment=environment,
            version=version,
            currently_deployed=currently_deployed,
        )

    @get("/{deployment_id:uuid}", operation_id="GetDeployment")
    async def get_deployment(
        self, deployments: NamedDependency[DeploymentService], deployment_id: FromPath[UUID]
    ) -> Deployment:
        return await deployments.get(deployment_id)


class ReleaseController(Controller):
    path = "/api/releases"
    tags = ["deployments"]
    dependencies = {"releases": Provide(provide_release_service, sync_to_thread=False)}

    @post("/", operation_id="RecordRelease", summary="201 when recorded, 200 if that version is already supported")
    async def record_release(
        self, releases: NamedDependency[ReleaseService], data: JSONBody[ReleaseCreate]
    ) -> Response[Release]:
        release, created = await releases.record_release(**msgspec.structs.asdict(data))
        return Response(release, status_code=_created_or_existing(created))

    @post("/end-support", operation_id="EndSupportOf", status_code=HTTP_200_OK, summary="End support by version")
    async def end_support_of(self, releases: NamedDependency[ReleaseService], data: JSONBody[ReleaseTarget]) -> Release:
        return await releases.end_support_of(**msgspec.structs.asdict(data))

    @post("/{release_id:uuid}/end-support", operation_id="EndSupport", status_code=HTTP_200_OK)
    async def end_support(self, releases: NamedDependency[ReleaseService], release_id: FromPath[UUID]) -> Release:
        return await releases.end_support(release_id)

    @get("/", operation_id="ListReleases", summary="Release history, newest first")
    async def list_releases(
        self,
        releases: NamedDependency[ReleaseService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
        environment: FromQuery[str | None] = None,
        version: FromQuery[str | None] = None,
        currently_supported: FromQuery[bool | None] = None,
    ) -> Page[Release]:
        return await releases.list(
            limit=limit,
            cursor=cursor,
            service=service,
            environment=environment,
            version=version,
            currently_supported=currently_supported,
        )

    @get("/{release_id:uuid}", operation_id="GetRelease")
    async def get_release(self, releases: NamedDependency[ReleaseService], release_id: FromPath[UUID]) -> Release:
        return await releases.get(release_id)


class EnvironmentContentsController(Controller):
    """What is deployed and released to one environment now."""

    path = "/api/environments/{name:str}"
    tags = ["environments"]
    dependencies = {
        "deployments": Provide(provide_deployment_service, sync_to_thread=False),
        "releases": Provide(provide_release_service, sync_to_thread=False),
    }

    @get("/deployed", operation_id="ListDeployedVersions", summary="Currently deployed, by service and instance")
    async def deployed(
        self,
        deployments: NamedDependency[DeploymentService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
    ) -> Page[DeployedVersion]:
        return await deployments.currently_deployed(name, limit=limit, cursor=cursor, service=service)

    @get("/released", operation_id="ListSupportedVersions", summary="Currently supported releases, by service")
    async def released(
        self,
        releases: NamedDependency[ReleaseService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
    ) -> Page[SupportedVersion]:
        return await releases.currently_supported(name, limit=limit, cursor=cursor, service=service)
