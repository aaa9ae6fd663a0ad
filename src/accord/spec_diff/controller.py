from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, QueryParameter

from accord.spec_diff.schemas import SpecDiffReport
from accord.spec_diff.service import SpecDiffService
from accord.tenant_ids import TenantId

FromVersion = Annotated[
    str, QueryParameter(name="from", min_length=1, max_length=255, description="The version compared from.")
]
ToVersion = Annotated[
    str, QueryParameter(name="to", min_length=1, max_length=255, description="The version compared to.")
]


def provide_spec_diff_service(tenant_id: NamedDependency[TenantId]) -> SpecDiffService:
    return SpecDiffService(tenant_id)


class SpecDiffController(Controller):
    """What changed between two spec versions of a provider, and which running consumers it breaks."""

    path = "/api/services/{name:str}"
    tags = ["specs"]
    dependencies = {"spec_diffs": Provide(provide_spec_diff_service, sync_to_thread=False)}

    @get(
        "/spec-diff",
        operation_id="DiffSpecs",
        summary="Changes from one spec version to another; consumer versions deployed or released that they break",
    )
    async def diff_specs(
        self,
        spec_diffs: NamedDependency[SpecDiffService],
        name: FromPath[str],
        from_version: FromVersion,
        to_version: ToVersion,
    ) -> SpecDiffReport:
        return await spec_diffs.diff(name, from_version, to_version)
