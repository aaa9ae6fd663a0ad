"""/pacticipants: the broker's pacticipant resources (create-or-update-pacticipant, describe-pacticipant,
list-pacticipants), over Accord's service directory."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.directory import ServiceDirectory
from accord.deployments.service import PresenceService
from accord.errors import NotFound
from accord.http.numbered_pages import PageQuery
from accord.http.pagination import CursorQuery
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pacticipants.resources import pacticipant_resource, pacticipants_resource
from accord.pact.pacticipants.schemas import PacticipantCreate, PacticipantFields
from accord.pact.path_params import PacticipantName
from accord.pact.resource_urls import pacticipant_url


def _status(created: bool) -> int:
    return HTTP_201_CREATED if created else HTTP_200_OK


class PacticipantController(Controller):
    path = "/pacticipants"
    tags = ["pact"]

    @get(
        "/",
        operation_id="PactListPacticipants",
        summary="By name; `q` searches names and display names; `page` (from 1) numbers pages as the broker does",
    )
    async def list_pacticipants(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        q: FromQuery[str | None] = None,
        page: PageQuery = None,
    ) -> Response[Any]:
        listed = await (
            service_directory.list(limit=size, cursor=cursor, search=q)
            if page is None
            else service_directory.list_numbered(page=page, size=size, search=q)  # the broker's numbered pages
        )
        return hal(pacticipants_resource(Links(request), listed, size=size, search=q))

    @post("/", operation_id="PactCreatePacticipant", summary="201 when created, 200 with the existing one")
    async def create_pacticipant(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        data: JSONBody[PacticipantCreate],
    ) -> Response[Any]:
        (pacticipant, created), links = await service_directory.create(data.name, data.native()), Links(request)
        location = {"Location": pacticipant_url(links, pacticipant.name)} if created else None
        return hal(pacticipant_resource(links, pacticipant), _status(created), headers=location)

    @get("/{pacticipant:str}", operation_id="PactGetPacticipant")
    async def get_pacticipant(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        presence_service: NamedDependency[PresenceService],
        pacticipant: FromPath[PacticipantName],
    ) -> Response[Any]:
        found = await service_directory.find(pacticipant)
        if found is None:
            raise NotFound(f"No pacticipant named '{pacticipant}'.")
        sites = await presence_service.current_sites(pacticipant)
        return hal(pacticipant_resource(Links(request), found, sites))

    @put("/{pacticipant:str}", operation_id="PactReplacePacticipant", summary="Fields not given are cleared")
    async def replace_pacticipant(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        pacticipant: FromPath[PacticipantName],
        data: JSONBody[PacticipantFields],
    ) -> Response[Any]:
        return hal(pacticipant_resource(Links(request), await service_directory.replace(pacticipant, data.native())))

    @patch("/{pacticipant:str}", operation_id="PactUpdatePacticipant", summary="Merge; creates it if missing")
    async def update_pacticipant(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        pacticipant: FromPath[PacticipantName],
        data: JSONBody[PacticipantFields],
    ) -> Response[Any]:
        updated, created = await service_directory.merge(pacticipant, data.native())
        return hal(pacticipant_resource(Links(request), updated), _status(created))

    @delete("/{pacticipant:str}", operation_id="PactDeletePacticipant", summary="With everything of it")
    async def delete_pacticipant(
        self, service_directory: NamedDependency[ServiceDirectory], pacticipant: FromPath[PacticipantName]
    ) -> None:
        await service_directory.delete(pacticipant)
