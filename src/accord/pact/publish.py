"""POST /contracts/publish: what `pact broker publish` (and the Pact libraries' publishers) call."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK

from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pact_publishing import PactPublisher
from accord.pact.pact_schemas import ContractsPublish
from accord.pact.publish_resources import publication_body
from accord.tenancy.ids import TenantId


def provide_pact_publisher(tenant_id: NamedDependency[TenantId]) -> PactPublisher:
    return PactPublisher(tenant_id)


class PublishContractsController(Controller):
    path = "/contracts/publish"
    tags = ["pact"]
    dependencies = {"publisher": Provide(provide_pact_publisher, sync_to_thread=False)}

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
        publisher: NamedDependency[PactPublisher],
        data: JSONBody[ContractsPublish],
        replace: FromQuery[bool] = False,
    ) -> Response[Any]:
        published = await publisher.publish_contracts(data, replace=replace)
        return hal(publication_body(published, Links(request)))
