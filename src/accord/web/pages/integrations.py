"""The landing page: every integration and where it stands."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery, QueryParameter
from litestar.response import Template

from accord.dashboard.overview import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, IntegrationsOverview
from accord.dashboard.schemas import OverviewFilters
from accord.web.viewer import Viewer

PageNumber = Annotated[int, QueryParameter(ge=1, le=1_000_000)]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE)]
SearchText = Annotated[str | None, QueryParameter(max_length=255)]


class IntegrationsPage(Controller):
    path = "/ui/integrations"

    @get("/", name="integrations")
    async def overview(
        self,
        viewer: NamedDependency[Viewer],
        q: SearchText = None,
        failing: FromQuery[bool] = False,
        environment: Annotated[str | None, QueryParameter(max_length=100)] = None,
        page: PageNumber = 1,
        page_size: PageSize = DEFAULT_PAGE_SIZE,
    ) -> Template:
        filters = OverviewFilters(search=q, failing_only=failing, environment=environment or None)
        result = await IntegrationsOverview(viewer.tenant_id).page(filters, page=page, page_size=page_size)
        return Template(template_name="pages/integrations.html", context={"result": result, "filters": filters})
