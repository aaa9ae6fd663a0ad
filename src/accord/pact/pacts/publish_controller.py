"""POST /contracts/publish: what `pact broker publish` (and the Pact libraries' publishers) call."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from accord.contracts.document_publisher import DocumentPublisher
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pacts.publication import publish_contracts
from accord.pact.pacts.publication_resources import publication_body
from accord.pact.pacts.schemas import ContractsPublish


class PublishContractsController(Controller):
    path = "/contracts/publish"
    tags = ["pact"]

    @post(
        "/",
        operation_id="PactPublishContracts",
        status_code=HTTP_200_OK,
        summary="Publish a consumer version's pacts; 409 if a published pact would change (unless ?replace=true "
        "or onConflict 'merge')",
    )
    async def publish(
        self,
        request: Request[Any, Any, Any],
        document_publisher: NamedDependency[DocumentPublisher],
        data: JSONBody[ContractsPublish],
        replace: FromQuery[bool] = False,
    ) -> Response[Any]:
        published = await publish_contracts(document_publisher, data, replace=replace)
        return hal(publication_body(published, Links(request)))
