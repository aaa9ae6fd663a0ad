"""Versions of pacticipants and their tags (create-or-update-version, describe-version, create-version-tag)."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.version_history import VersionHistory
from accord.catalog.version_labels import VersionLabels
from accord.errors import NotFound
from accord.http.numbered_pages import PageQuery
from accord.http.pagination import CursorQuery
from accord.pact.hal_pages import SizeQuery, viewed
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import PacticipantName, TagName, VersionNumber
from accord.pact.resource_urls import pacticipant_url
from accord.pact.versions.details import VersionDetails
from accord.pact.versions.resources import tag_resource, version_resource, versions_resource
from accord.pact.versions.schemas import Tag, VersionDetail, VersionFields, tag_view, version_view

# Versions carry their labels and links; a hundred of them make a page that is still quick to render.
VERSIONS_PAGE_SIZE = 100


def _status(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class PactVersionController(Controller):
    path = "/pacticipants/{pacticipant:str}"
    tags = ["pact"]

    @get(
        "/versions",
        operation_id="PactListVersions",
        summary="Newest first; `page` (from 1) numbers pages as the broker does",
    )
    async def list_versions(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        pacticipant: FromPath[PacticipantName],
        size: SizeQuery = VERSIONS_PAGE_SIZE,
        cursor: CursorQuery = None,
        page: PageQuery = None,
    ) -> Response[Any]:
        entries = await (
            version_history.list(pacticipant, limit=size, cursor=cursor)
            if page is None
            else version_history.list_numbered(pacticipant, page=page, size=size)  # the broker's numbered pages
        )
        listed = viewed(entries, lambda entry: version_view(pacticipant, entry))
        return hal(versions_resource(Links(request), pacticipant, listed, size=size))

    @get("/versions/{version:str}", operation_id="PactGetVersion")
    async def get_version(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
    ) -> Response[Any]:
        detail = await _described(version_history, version_details, pacticipant, version)
        return hal(version_resource(Links(request), detail))

    @put(
        "/versions/{version:str}",
        operation_id="PactReplaceVersion",
        summary="Create, or replace build URL/tags; no body is {}",
    )
    async def replace_version(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: JSONBody[VersionFields | None] = None,
    ) -> Response[Any]:
        fields = data or VersionFields()
        tags = None if isinstance(fields.tags, msgspec.UnsetType) else [tag.name for tag in fields.tags]
        build_url = None if isinstance(fields.build_url, msgspec.UnsetType) else fields.build_url
        _, created = await version_history.replace(pacticipant, version, build_url=build_url, tags=tags)
        detail = await _described(version_history, version_details, pacticipant, version)
        return hal(version_resource(Links(request), detail), _status(created))

    @patch("/versions/{version:str}", operation_id="PactUpdateVersion", summary="Create, or set build URL/add tags")
    async def update_version(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: JSONBody[VersionFields | None] = None,
    ) -> Response[Any]:
        fields = data or VersionFields()
        tags = () if isinstance(fields.tags, msgspec.UnsetType) else tuple(tag.name for tag in fields.tags)
        _, created = await version_history.merge(pacticipant, version, build_url=fields.build_url, tags=tags)
        detail = await _described(version_history, version_details, pacticipant, version)
        return hal(version_resource(Links(request), detail), _status(created))

    @delete("/versions/{version:str}", operation_id="PactDeleteVersion", summary="With everything of it")
    async def delete_version(
        self,
        version_history: NamedDependency[VersionHistory],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
    ) -> None:
        await version_history.delete(pacticipant, version)

    @get("/latest-version", operation_id="PactGetLatestVersion")
    async def latest_version(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        pacticipant: FromPath[PacticipantName],
    ) -> Response[Any]:
        links = Links(request)
        missing = f"Pacticipant '{pacticipant}' has no version."
        detail = await version_details.of(pacticipant, await version_history.latest(pacticipant), missing)
        return hal(version_resource(links, detail, self_href=pacticipant_url(links, pacticipant, "latest-version")))

    @get("/latest-version/{tag:str}", operation_id="PactGetLatestTaggedVersion")
    async def latest_tagged_version(
        self,
        request: Request[Any, Any, Any],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        pacticipant: FromPath[PacticipantName],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        links = Links(request)
        missing = f"Pacticipant '{pacticipant}' has no version with tag '{tag}'."
        detail = await version_details.of(pacticipant, await version_history.latest(pacticipant, tag=tag), missing)
        self_href = pacticipant_url(links, pacticipant, "latest-version", tag)
        return hal(version_resource(links, detail, self_href=self_href))


class PactTagController(Controller):
    path = "/pacticipants/{pacticipant:str}/versions/{version:str}/tags/{tag:str}"
    tags = ["pact"]

    @put("/", operation_id="PactCreateVersionTag", summary="Creates pacticipant and version as needed; no body")
    async def tag_version(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        created = await version_labels.tag(pacticipant, version, tag)
        found = await _tag(version_labels, pacticipant, version, tag)
        return hal(tag_resource(Links(request), found), _status(created))

    @get("/", operation_id="PactGetVersionTag")
    async def get_tag(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> Response[Any]:
        return hal(tag_resource(Links(request), await _tag(version_labels, pacticipant, version, tag)))

    @delete("/", operation_id="PactDeleteVersionTag")
    async def delete_tag(
        self,
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        tag: FromPath[TagName],
    ) -> None:
        if not await version_labels.untag(pacticipant, version, tag):
            raise _no_tag(pacticipant, version, tag)


async def _described(versions: VersionHistory, details: VersionDetails, pacticipant: str, number: str) -> VersionDetail:
    missing = f"Pacticipant '{pacticipant}' has no version '{number}'."
    return await details.of(pacticipant, await versions.find(pacticipant, number), missing)


async def _tag(labels: VersionLabels, pacticipant: str, number: str, tag: str) -> Tag:
    found = await labels.tag_of(pacticipant, number, tag)
    if found is None:
        raise _no_tag(pacticipant, number, tag)
    return tag_view(pacticipant, number, found)


def _no_tag(pacticipant: str, number: str, tag: str) -> NotFound:
    return NotFound(f"Version '{number}' of '{pacticipant}' has no tag '{tag}'.")
