from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from accord.spec_diff.schemas import SpecDiffReport
from accord.spec_diff.service import SpecDiffService

FromVersion = Annotated[
    str, QueryParameter(name="from", min_length=1, max_length=255, description="The version compared from.")
]
ToVersion = Annotated[
    str, QueryParameter(name="to", min_length=1, max_length=255, description="The version compared to.")
]


class SpecDiffController(Controller):
    """What changed between two spec versions of a provider, and which running consumers it breaks."""

    path = "/api/services/{name:str}"
    tags = ["specs"]

    @get(
        "/spec-diff",
        operation_id="DiffSpecs",
        summary="Changes from one spec version to another; consumer versions deployed or released that they break",
    )
    async def diff_specs(
        self,
        spec_diff_service: NamedDependency[SpecDiffService],
        name: FromPath[str],
        from_version: FromVersion,
        to_version: ToVersion,
    ) -> SpecDiffReport:
        return await spec_diff_service.diff(name, from_version, to_version)
