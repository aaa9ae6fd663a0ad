"""/integrations and /dashboard: every consumer-provider pair with its latest pact and verification."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide

from accord.matrix.service import MatrixService
from accord.pact.integration_resources import dashboard_resource, integrations_resource
from accord.pact.links import Links
from accord.pact.media import hal
from accord.tenancy.ids import TenantId


def provide_matrix_service(tenant_id: NamedDependency[TenantId]) -> MatrixService:
    return MatrixService(tenant_id)


class PactIntegrationController(Controller):
    path = "/"
    tags = ["pact"]
    dependencies = {"matrix": Provide(provide_matrix_service, sync_to_thread=False)}

    @get("/integrations", operation_id="PactIntegrations", summary="Every consumer-provider pair")
    async def integrations(
        self, request: Request[Any, Any, Any], matrix: NamedDependency[MatrixService]
    ) -> Response[Any]:
        return hal(integrations_resource(Links(request), await matrix.integrations()))

    @get("/dashboard", operation_id="PactDashboard", summary="Each pair's latest pact and verification result")
    async def dashboard(self, request: Request[Any, Any, Any], matrix: NamedDependency[MatrixService]) -> Response[Any]:
        return hal(dashboard_resource(Links(request), await matrix.integrations()))
