from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from accord.contracts.guards import SETTLES_ITSELF_OPT_KEY
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.matrix.schemas import CanIDeploy, HistoryEvent, Integration, MatrixRow, TenantCounts
from accord.matrix.service import MatrixService


class MatrixController(Controller):
    path = "/api"
    tags = ["can-i-deploy"]

    @get(
        "/can-i-deploy",
        operation_id="CanIDeploy",
        summary="Can this version go to the environment? true, false, or null while a verification is missing",
        opt={SETTLES_ITSELF_OPT_KEY: True},
    )
    async def can_i_deploy(
        self,
        matrix_service: NamedDependency[MatrixService],
        service: FromQuery[str],
        version: FromQuery[str],
        environment: FromQuery[str],
    ) -> CanIDeploy:
        return await matrix_service.can_i_deploy(service, version, environment)

    @get("/matrix", operation_id="PairMatrix", summary="Consumer versions of a pair and every verdict on them")
    async def pair_matrix(
        self,
        matrix_service: NamedDependency[MatrixService],
        consumer: FromQuery[str],
        provider: FromQuery[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[MatrixRow]:
        return await matrix_service.pair_matrix(consumer, provider, limit=limit, cursor=cursor)

    @get("/dashboard/integrations", operation_id="Integrations", summary="Latest status of every pair")
    async def integrations(self, matrix_service: NamedDependency[MatrixService]) -> list[Integration]:
        return await matrix_service.integrations()

    @get("/dashboard/counts", operation_id="TenantCounts")
    async def counts(self, matrix_service: NamedDependency[MatrixService]) -> TenantCounts:
        return await matrix_service.counts()

    @get("/services/{name:str}/history", operation_id="ServiceHistory", summary="What happened to a service")
    async def history(
        self,
        matrix_service: NamedDependency[MatrixService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[HistoryEvent]:
        return await matrix_service.history(name, limit=limit, cursor=cursor)
