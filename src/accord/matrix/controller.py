from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery

from accord.contracts.guards import SETTLES_ITSELF_OPT_KEY
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.matrix.schemas import CanIDeploy, HistoryEvent, Integration, MatrixRow, TenantCounts
from accord.matrix.service import MatrixService
from accord.tenant_ids import TenantId


def provide_matrix_service(tenant_id: NamedDependency[TenantId]) -> MatrixService:
    return MatrixService(tenant_id)


class MatrixController(Controller):
    path = "/api"
    tags = ["can-i-deploy"]
    dependencies = {"matrix": Provide(provide_matrix_service, sync_to_thread=False)}

    @get(
        "/can-i-deploy",
        operation_id="CanIDeploy",
        summary="Can this version go to the environment? true, false, or null while a verification is missing",
        opt={SETTLES_ITSELF_OPT_KEY: True},
    )
    async def can_i_deploy(
        self,
        matrix: NamedDependency[MatrixService],
        service: FromQuery[str],
        version: FromQuery[str],
        environment: FromQuery[str],
    ) -> CanIDeploy:
        return await matrix.can_i_deploy(service, version, environment)

    @get("/matrix", operation_id="PairMatrix", summary="Consumer versions of a pair and every verdict on them")
    async def pair_matrix(
        self,
        matrix: NamedDependency[MatrixService],
        consumer: FromQuery[str],
        provider: FromQuery[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[MatrixRow]:
        return await matrix.pair_matrix(consumer, provider, limit=limit, cursor=cursor)

    @get("/dashboard/integrations", operation_id="Integrations", summary="Latest status of every pair")
    async def integrations(self, matrix: NamedDependency[MatrixService]) -> list[Integration]:
        return await matrix.integrations()

    @get("/dashboard/counts", operation_id="TenantCounts")
    async def counts(self, matrix: NamedDependency[MatrixService]) -> TenantCounts:
        return await matrix.counts()

    @get("/services/{name:str}/history", operation_id="ServiceHistory", summary="What happened to a service")
    async def history(
        self,
        matrix: NamedDependency[MatrixService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[HistoryEvent]:
        return await matrix.history(name, limit=limit, cursor=cursor)
