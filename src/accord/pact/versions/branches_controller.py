"""Branches of pacticipants and the versions on them (delete-branch, create-or-update-version --branch), and
whether a branch head can be deployed (as a matrix, or as a badge): every route below a branch lives here."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, put
from litestar.di import NamedDependency
from litestar.exceptions import MethodNotAllowedException
from litestar.params import FromPath, FromQuery
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.version_history import VersionHistory
from accord.catalog.version_labels import VersionLabels
from accord.errors import NotFound
from accord.http.numbered_pages import PageQuery
from accord.http.pagination import CursorQuery
from accord.matrix.deployability import DeployabilityService
from accord.pact.badges.controller import svg
from accord.pact.badges.wording import deployability_badge
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery, viewed
from accord.pact.links import Links
from accord.pact.matrix.refusals import require_found
from accord.pact.matrix.resources import matrix_document
from accord.pact.media import hal
from accord.pact.path_params import PacticipantName
from accord.pact.resource_urls import branch_url
from accord.pact.versions.branch_paths import BranchPathKind, parse_branch_path
from accord.pact.versions.branch_resources import branch_resource, branch_version_resource, branches_resource
from accord.pact.versions.details import VersionDetails
from accord.pact.versions.resources import version_resource
from accord.pact.versions.schemas import BranchVersion, branch_version_view, branch_view


class PactBranchController(Controller):
    path = "/pacticipants/{pacticipant:str}/branches"
    tags = ["pact"]

    @get(
        "/",
        operation_id="PactListBranches",
        summary="By name; `q` searches names; `page` (from 1) numbers pages as the broker does",
    )
    async def list_branches(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        q: FromQuery[str | None] = None,
        page: PageQuery = None,
    ) -> Response[Any]:
        branches = await (
            version_labels.branches(pacticipant, limit=size, cursor=cursor, search=q)
            if page is None
            else version_labels.branches_numbered(pacticipant, page=page, size=size, search=q)
        )
        listed = viewed(branches, lambda branch: branch_view(pacticipant, branch))
        return hal(branches_resource(Links(request), pacticipant, listed, size=size, search=q))

    @get(
        "/{rest:path}",
        operation_id="PactGetBranch",
        summary="A branch, a version on it, its latest version, or whether that can be deployed to an environment",
    )
    async def get_branch(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        version_history: NamedDependency[VersionHistory],
        version_details: NamedDependency[VersionDetails],
        deployability_service: NamedDependency[DeployabilityService],
        pacticipant: FromPath[PacticipantName],
        rest: FromPath[str],
        label: FromQuery[str | None] = None,
    ) -> Response[Any]:
        links, path = Links(request), parse_branch_path(request.scope, rest)
        match path.kind:
            case BranchPathKind.branch_version:
                found = await _branch_version(version_labels, pacticipant, path.branch, path.version)
                return hal(branch_version_resource(links, found))
            case BranchPathKind.latest_version:
                missing = f"Pacticipant '{pacticipant}' has no branch '{path.branch}' with versions."
                detail = await version_details.of(
                    pacticipant, await version_history.branch_head(pacticipant, path.branch), missing
                )
                self_href = branch_url(links, pacticipant, path.branch, "latest-version")
                return hal(version_resource(links, detail, self_href=self_href))
            case BranchPathKind.can_i_deploy:
                answer = await deployability_service.branch_head_to(pacticipant, path.branch, path.environment)
                return hal(matrix_document(require_found(answer), links))
            case BranchPathKind.can_i_deploy_badge:
                answer = await deployability_service.branch_head_to(pacticipant, path.branch, path.environment)
                return svg(deployability_badge(answer, label or f"can-i-deploy {path.branch} to {path.environment}"))
        branch = await version_labels.branch(pacticipant, path.branch)
        if branch is None:
            raise _no_branch(pacticipant, path.branch)
        return hal(branch_resource(links, branch_view(pacticipant, branch)))

    @put("/{rest:path}", operation_id="PactAddBranchVersion", summary="Creates pacticipant, version, branch")
    async def add_branch_version(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        rest: FromPath[str],
    ) -> Response[Any]:
        path = parse_branch_path(request.scope, rest)
        if path.kind is not BranchPathKind.branch_version:
            raise MethodNotAllowedException(headers={"Allow": _allowed(path.kind)})
        created = await version_labels.add_to_branch(pacticipant, path.branch, path.version)
        found = await _branch_version(version_labels, pacticipant, path.branch, path.version)
        return hal(branch_version_resource(Links(request), found), HTTP_201_CREATED if created else HTTP_200_OK)

    @delete("/{rest:path}", operation_id="PactDeleteBranch", summary="A branch (its versions stay) or a version")
    async def delete_branch(
        self,
        request: Request[Any, Any, Any],
        version_labels: NamedDependency[VersionLabels],
        pacticipant: FromPath[PacticipantName],
        rest: FromPath[str],
    ) -> None:
        path = parse_branch_path(request.scope, rest)
        if path.kind is BranchPathKind.branch_version:
            if not await version_labels.remove_from_branch(pacticipant, path.branch, path.version):
                raise _not_on_branch(pacticipant, path.branch, path.version)
        elif path.kind is BranchPathKind.branch:
            if not await version_labels.delete_branch(pacticipant, path.branch):
                raise _no_branch(pacticipant, path.branch)
        else:
            raise MethodNotAllowedException(headers={"Allow": _allowed(path.kind)})


def _allowed(kind: BranchPathKind) -> str:
    return {BranchPathKind.branch: "GET, DELETE", BranchPathKind.branch_version: "GET, PUT, DELETE"}.get(kind, "GET")


async def _branch_version(labels: VersionLabels, pacticipant: str, branch: str, number: str) -> BranchVersion:
    join = await labels.branch_join(pacticipant, branch, number)
    if join is None:
        raise _not_on_branch(pacticipant, branch, number)
    return branch_version_view(pacticipant, branch, number, join)


def _no_branch(pacticipant: str, branch: str) -> NotFound:
    return NotFound(f"Pacticipant '{pacticipant}' has no branch '{branch}'.")


def _not_on_branch(pacticipant: str, branch: str, number: str) -> NotFound:
    return NotFound(f"Version '{number}' of '{pacticipant}' is not on branch '{branch}'.")
