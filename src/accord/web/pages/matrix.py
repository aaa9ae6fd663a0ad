"""The matrix of a pair, with the same selectors as GET /api/matrix."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from accord.composition import matrix_service
from accord.contracts.following import ContractFollower
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery
from accord.web.viewer import Viewer

ServiceText = Annotated[str | None, QueryParameter(max_length=255)]


class MatrixPage(Controller):
    path = "/ui/matrix"

    @get("/", name="matrix")
    async def matrix(
        self,
        viewer: NamedDependency[Viewer],
        consumer: ServiceText = None,
        provider: ServiceText = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Template:
        """The form alone until both services are named; then their rows, newest consumer version first."""
        rows = None
        if consumer and provider:
            await ContractFollower(viewer.tenant_id).settle()  # every recorded batch counts, derived or not
            rows = await matrix_service(viewer.tenant_id).pair_matrix(consumer, provider, limit=limit, cursor=cursor)
        return Template(
            template_name="pages/matrix.html",
            context={"consumer": consumer or "", "provider": provider or "", "limit": limit, "rows": rows},
        )
