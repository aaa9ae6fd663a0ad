"""/integrations and /dashboard: every consumer-provider pair with its latest pact and verification, in the
broker's numbered pages (the first, of the largest size, by default)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from accord.contracts.integrations import IntegrationService
from accord.http.numbered_pages import PageQuery
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.integrations.resources import dashboard_resource, integrations_resource
from accord.pact.links import Links
from accord.pact.media import hal


class PactIntegrationController(Controller):
    path = "/"
    tags = ["pact"]

    @get("/integrations", operation_id="PactIntegrations", summary="Every consumer-provider pair, by names")
    async def integrations(
        self,
        request: Request[Any, Any, Any],
        integration_service: NamedDependency[IntegrationService],
        page: PageQuery = None,
        size: SizeQuery = PAGE_SIZE,
    ) -> Response[Any]:
        listed = await integration_service.page(page=page, size=size)
        return hal(integrations_resource(Links(request), listed))

    @get("/dashboard", operation_id="PactDashboard", summary="Each pair's latest pact and verification, newest first")
    async def dashboard(
        self,
        request: Request[Any, Any, Any],
        integration_service: NamedDependency[IntegrationService],
        page: PageQuery = None,
        size: SizeQuery = PAGE_SIZE,
    ) -> Response[Any]:
        listed = await integration_service.page(page=page, size=size, by_activity=True)
        return hal(dashboard_resource(Links(request), listed))
