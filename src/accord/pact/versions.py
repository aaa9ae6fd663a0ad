"""Versions of pacticipants and their tags (create-or-update-version, describe-version, create-version-tag)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.http.numbered_pages import PageQuery
from accord.http.pagination import CursorQuery
from accord.pact.catalog_schemas import VersionFields
from accord.pact.hal_pages import SizeQuery
from accord.pact.label_service import PactLabelService
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import PacticipantName, TagName, VersionNumber
from accord.pact.resource_urls import pacticipant_url
from accord.pact.version_resources import tag_resource, version_resource, versions_resource
from accord.pact.version_service import PactVersionService
from accord.tenancy.ids import TenantId

# Versions carry their labels and links; a hundred of them make a page that is still quick to render.
VERSIONS_PAGE_SIZE = 100


def provide_version_service(tenant_id: NamedDependency[TenantId]) -> PactVersionService:
    return PactVersionService(tenant_id)


def provide_label_service(tenant_id: NamedDependency[TenantId]) -> PactLabelService:
    return PactLabelService(tenant_id)


def _status(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class PactVersionController(Controller):
    path = "/pacticipants/{pacticipant:str}"
    tags = ["pact"]
    dependencies = {"versions": Provide(provide_version_service, sync_to_thread=False)}

    @get(
        "/versions",
        operation_id="PactListVersions",
        summary="Newest first; `page` (from 1) numbers pages as the broker does",
    )
    async def list_versions(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        size: SizeQuery = VERSIONS_PAGE_SIZE,
        cursor: CursorQuery = None,
        page: PageQuery = None,
    ) -> Response[Any]:
        listed = await (
            versions.list(pacticipant, limit=size, cursor=cursor)
            if page is None
            else versions.list_numbered(pacticipant, page=page, size=size)  # the broker's numbered pages
        )
        return hal(versions_resource(Links(request), pacticipant, listed, size=size))

    @get("/versions/{version:str}", operation_id="PactGetVersion")
    async def get_version(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
    ) -> Response[Any]:
        return hal(version_resource(Links(request), await versions.get(pacticipant, version)))

    @put(
        "/versions/{version:str}",
        operation_id="PactReplaceVersion",
        summary="Create, or replace build URL/tags; no body is {}",
    )
    async def replace_version(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: JSONBody[VersionFields | None] = None,
    ) -> Response[Any]:
        detail, created = await versions.replace(pacticipant, version, data or VersionFields())
        return hal(version_resource(Links(request), detail), _status(created))

    @patch("/versions/{version:str}", operation_id="PactUpdateVersion", summary="Create, or set build URL/add tags")
    async def update_version(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: JSONBody[VersionFields | None] = None,
    ) -> Response[Any]:
        detail, created = await versions.merge(pacticipant, version, data or VersionFields())
        return hal(version_resource(Links(request), detail), _status(created))

    @delete("/versions/{version:str}", operation_id="PactDeleteVersion", summary="With everything of it")
    async def delete_version(
        self,
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
    ) -> None:
        await versions.delete(pacticipant, version)

    @get("/latest-version", operation_id="PactGetLatestVersion")
    async def latest_version(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
    ) -> Response[Any]:
        links = Links(request)
        detail = await versions.latest(pacticipant)
        return hal(version_resource(links, detail, self_href=pacticipant_url(links, pacticipant, "latest-version")))

    @get("/latest-version/{tag:str}", operation_id="PactGetLatestTaggedVersion")
    async def latest_tagged_version(
        self,
        request: Request[Any, Any, Any],
        versions: NamedDependency[PactVersionService],
        pacticipant: FromPath[PacticipantName],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        links = Links(request)
        detail = await versions.latest(pacticipant, tag=tag)
        self_href = pacticipant_url(links, pacticipant, "latest-version", tag)
        return hal(version_resource(links, detail, self_href=self_href))


class PactTagController(Controller):
    path = "/pacticipants/{pacticipant:str}/versions/{version:str}/tags/{tag:str}"
    tags = ["pact"]
    dependencies = {"labels": Provide(provide_label_service, sync_to_thread=False)}

    @put("/", operation_id="PactCreateVersionTag", summary="Creates pacticipant and version as needed; no body")
    async def tag_version(
        self,
        request: Request[Any, Any, Any],
        labels: NamedDependency[PactLabelService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        created_tag, created = await labels.tag(pacticipant, version, tag)
        return hal(tag_resource(Links(request), created_tag), _status(created))

    @get("/", operation_id="PactGetVersionTag")
    async def get_tag(
        self,
        request: Request[Any, Any, Any],
        labels: NamedDependency[PactLabelService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        return hal(tag_resource(Links(request), await labels.get_tag(pacticipant, version, tag)))

    @delete("/", operation_id="PactDeleteVersionTag")
    async def delete_tag(
        self,
        labels: NamedDependency[PactLabelService],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> None:
        await labels.delete_tag(pacticipant, version, tag)
