"""The native API of deployed and released versions: one model (presence.py), two families of routes."""

from __future__ import annotations

from uuid import UUID

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.deployments.presence import DEPLOYED, RELEASED
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
from accord.deployments.service import PresenceService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page


def _created_or_existing(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class DeploymentController(Controller):
    path = "/api/deployments"
    tags = ["deployments"]

    @post("/", operation_id="RecordDeployment", summary="201 when recorded, 200 if that version already runs there")
    async def record_deployment(
        self, presence_service: NamedDependency[PresenceService], data: JSONBody[DeploymentCreate]
    ) -> Response[Deployment]:
        deployment, created = await presence_service.record(DEPLOYED, **msgspec.structs.asdict(data))
        return Response(deployment, status_code=_created_or_existing(created))

    @post("/undeploy", operation_id="UndeployTarget", status_code=HTTP_200_OK, summary="Undeploy by target")
    async def undeploy_target(
        self, presence_service: NamedDependency[PresenceService], data: JSONBody[DeploymentTarget]
    ) -> Deployment:
        return await presence_service.end_current(DEPLOYED, **msgspec.structs.asdict(data))

    @post("/{deployment_id:uuid}/undeploy", operation_id="Undeploy", status_code=HTTP_200_OK)
    async def undeploy(
        self, presence_service: NamedDependency[PresenceService], deployment_id: FromPath[UUID]
    ) -> Deployment:
        return await presence_service.end(DEPLOYED, deployment_id)

    @get("/", operation_id="ListDeployments", summary="Deployment history, newest first")
    async def list_deployments(
        self,
        presence_service: NamedDependency[PresenceService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
        environment: FromQuery[str | None] = None,
        version: FromQuery[str | None] = None,
        currently_deployed: FromQuery[bool | None] = None,
    ) -> Page[Deployment]:
        return await presence_service.list(
            DEPLOYED,
            limit=limit,
            cursor=cursor,
            service=service,
            environment=environment,
            version=version,
            current=currently_deployed,
        )

    @get("/{deployment_id:uuid}", operation_id="GetDeployment")
    async def get_deployment(
        self, presence_service: NamedDependency[PresenceService], deployment_id: FromPath[UUID]
    ) -> Deployment:
        return await presence_service.get(DEPLOYED, deployment_id)


class ReleaseController(Controller):
    path = "/api/releases"
    tags = ["deployments"]

    @post("/", operation_id="RecordRelease", summary="201 when recorded, 200 if that version is already supported")
    async def record_release(
        self, presence_service: NamedDependency[PresenceService], data: JSONBody[ReleaseCreate]
    ) -> Response[Release]:
        release, created = await presence_service.record(RELEASED, **msgspec.structs.asdict(data))
        return Response(release, status_code=_created_or_existing(created))

    @post("/end-support", operation_id="EndSupportOf", status_code=HTTP_200_OK, summary="End support by version")
    async def end_support_of(
        self, presence_service: NamedDependency[PresenceService], data: JSONBody[ReleaseTarget]
    ) -> Release:
        return await presence_service.end_current(RELEASED, **msgspec.structs.asdict(data))

    @post("/{release_id:uuid}/end-support", operation_id="EndSupport", status_code=HTTP_200_OK)
    async def end_support(
        self, presence_service: NamedDependency[PresenceService], release_id: FromPath[UUID]
    ) -> Release:
        return await presence_service.end(RELEASED, release_id)

    @get("/", operation_id="ListReleases", summary="Release history, newest first")
    async def list_releases(
        self,
        presence_service: NamedDependency[PresenceService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
        environment: FromQuery[str | None] = None,
        version: FromQuery[str | None] = None,
        currently_supported: FromQuery[bool | None] = None,
    ) -> Page[Release]:
        return await presence_service.list(
            RELEASED,
            limit=limit,
            cursor=cursor,
            service=service,
            environment=environment,
            version=version,
            current=currently_supported,
        )

    @get("/{release_id:uuid}", operation_id="GetRelease")
    async def get_release(
        self, presence_service: NamedDependency[PresenceService], release_id: FromPath[UUID]
    ) -> Release:
        return await presence_service.get(RELEASED, release_id)


class EnvironmentContentsController(Controller):
    """What is deployed and released to one environment now."""

    path = "/api/environments/{name:str}"
    tags = ["environments"]

    @get("/deployed", operation_id="ListDeployedVersions", summary="Currently deployed, by service and instance")
    async def deployed(
        self,
        presence_service: NamedDependency[PresenceService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
    ) -> Page[DeployedVersion]:
        return await presence_service.present(DEPLOYED, name, limit=limit, cursor=cursor, service=service)

    @get("/released", operation_id="ListSupportedVersions", summary="Currently supported releases, by service")
    async def released(
        self,
        presence_service: NamedDependency[PresenceService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        service: FromQuery[str | None] = None,
    ) -> Page[SupportedVersion]:
        return await presence_service.present(RELEASED, name, limit=limit, cursor=cursor, service=service)
