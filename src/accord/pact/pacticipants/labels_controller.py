"""/pacticipants/{name}/labels/{label} and /pacticipants/label/{label}: the broker's pacticipant labels."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, Response, delete, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.directory import ServiceDirectory
from accord.errors import NotFound
from accord.http.numbered_pages import PageQuery
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pacticipants.label_resources import label_resource, labelled_pacticipants_resource
from accord.pact.path_params import LabelName, PacticipantName


class PacticipantLabelController(Controller):
    path = "/pacticipants"
    tags = ["pact"]

    @get("/label/{label:str}", operation_id="PactListLabelledPacticipants", summary="Pacticipants with the label")
    async def list_labelled(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        label: FromPath[LabelName],
        page: PageQuery = None,
        size: SizeQuery = PAGE_SIZE,
    ) -> Response[Any]:
        # Numbered pages only: the broker pages this list so, and the largest page is the first by default.
        listed = await service_directory.labelled(label, page=page, size=size)
        return hal(labelled_pacticipants_resource(Links(request), label, listed))

    @put(
        "/{pacticipant:str}/labels/{label:str}",
        operation_id="PactLabelPacticipant",
        summary="Creates the pacticipant as needed; no body; 201 when the label is new",
    )
    async def label_pacticipant(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> Response[Any]:
        made, created = await service_directory.label(pacticipant, label)
        return hal(label_resource(Links(request), pacticipant, made), HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/{pacticipant:str}/labels/{label:str}", operation_id="PactGetPacticipantLabel")
    async def get_label(
        self,
        request: Request[Any, Any, Any],
        service_directory: NamedDependency[ServiceDirectory],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> Response[Any]:
        found = await service_directory.label_of(await _pacticipant_id(service_directory, pacticipant), label)
        if found is None:
            raise _no_label(pacticipant, label)
        return hal(label_resource(Links(request), pacticipant, found))

    @delete("/{pacticipant:str}/labels/{label:str}", operation_id="PactDeletePacticipantLabel")
    async def delete_label(
        self,
        service_directory: NamedDependency[ServiceDirectory],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> None:
        if not await service_directory.unlabel(await _pacticipant_id(service_directory, pacticipant), label):
            raise _no_label(pacticipant, label)


async def _pacticipant_id(labels: ServiceDirectory, pacticipant: str) -> UUID:
    service_id = await labels.find_id(pacticipant)
    if service_id is None:
        raise NotFound(f"No pacticipant named '{pacticipant}'.")
    return service_id


def _no_label(pacticipant: str, label: str) -> NotFound:
    return NotFound(f"Pacticipant '{pacticipant}' has no label '{label}'.")
