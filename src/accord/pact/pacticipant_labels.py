"""/pacticipants/{name}/labels/{label} and /pacticipants/label/{label}: the broker's pacticipant labels."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.numbered_pages import PageQuery
from accord.pact.pacticipant_label_resources import label_resource, labelled_pacticipants_resource
from accord.pact.pacticipant_label_service import PacticipantLabelService
from accord.pact.path_params import LabelName, PacticipantName
from accord.tenancy.ids import TenantId


def provide_pacticipant_label_service(tenant_id: NamedDependency[TenantId]) -> PacticipantLabelService:
    return PacticipantLabelService(tenant_id)


class PacticipantLabelController(Controller):
    path = "/pacticipants"
    tags = ["pact"]
    dependencies = {"labels": Provide(provide_pacticipant_label_service, sync_to_thread=False)}

    @get("/label/{label:str}", operation_id="PactListLabelledPacticipants", summary="Pacticipants with the label")
    async def list_labelled(
        self,
        request: Request[Any, Any, Any],
        labels: NamedDependency[PacticipantLabelService],
        label: FromPath[LabelName],
        page: PageQuery = None,
        size: SizeQuery = PAGE_SIZE,
    ) -> Response[Any]:
        # Numbered pages only: the broker pages this list so, and the largest page is the first by default.
        listed = await labels.labelled(label, page=page, size=size)
        return hal(labelled_pacticipants_resource(Links(request), label, listed))

    @put(
        "/{pacticipant:str}/labels/{label:str}",
        operation_id="PactLabelPacticipant",
        summary="Creates the pacticipant as needed; no body; 201 when the label is new",
    )
    async def label_pacticipant(
        self,
        request: Request[Any, Any, Any],
        labels: NamedDependency[PacticipantLabelService],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> Response[Any]:
        made, created = await labels.label(pacticipant, label)
        return hal(label_resource(Links(request), made), HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/{pacticipant:str}/labels/{label:str}", operation_id="PactGetPacticipantLabel")
    async def get_label(
        self,
        request: Request[Any, Any, Any],
        labels: NamedDependency[PacticipantLabelService],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> Response[Any]:
        return hal(label_resource(Links(request), await labels.get(pacticipant, label)))

    @delete("/{pacticipant:str}/labels/{label:str}", operation_id="PactDeletePacticipantLabel")
    async def delete_label(
        self,
        labels: NamedDependency[PacticipantLabelService],
        pacticipant: FromPath[PacticipantName],
        label: FromPath[LabelName],
    ) -> None:
        await labels.unlabel(pacticipant, label)
