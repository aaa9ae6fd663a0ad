"""Services: the list, one service's page, and the diff between two of its spec versions."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from accord.composition import service_catalog, spec_diff_service
from accord.dashboard.service_page import ServicePageService
from accord.http.pagination import CursorQuery
from accord.web.viewer import Viewer

SERVICES_PER_PAGE = 50
VersionText = Annotated[str, QueryParameter(min_length=1, max_length=255)]


class ServicesPage(Controller):
    path = "/ui/services"

    @get("/", name="services")
    async def services(
        self,
        viewer: NamedDependency[Viewer],
        prefix: Annotated[str | None, QueryParameter(max_length=255)] = None,
        cursor: CursorQuery = None,
    ) -> Template:
        page = await service_catalog(viewer.tenant_id).list_services(
            limit=SERVICES_PER_PAGE, cursor=cursor, prefix=prefix or None
        )
        return Template(template_name="pages/services.html", context={"page": page, "prefix": prefix or ""})

    @get("/{name:str}", name="service")
    async def service(
        self,
        viewer: NamedDependency[Viewer],
        name: FromPath[str],
        versions_cursor: CursorQuery = None,
        timeline_cursor: CursorQuery = None,
    ) -> Template:
        page = await ServicePageService(viewer.tenant_id).page(
            name, versions_cursor=versions_cursor, timeline_cursor=timeline_cursor
        )
        return Template(template_name="pages/service.html", context={"page": page})

    @get("/{name:str}/spec-diff", name="spec-diff")
    async def spec_diff(
        self,
        viewer: NamedDependency[Viewer],
        name: FromPath[str],
        from_version: Annotated[str, QueryParameter(name="from", min_length=1, max_length=255)],
        to: VersionText,
    ) -> Template:
        report = await spec_diff_service(viewer.tenant_id).diff(name, from_version, to)
        return Template(template_name="pages/spec_diff.html", context={"report": report})
