from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from accord.compatibility.api_schemas import StaticCheckView
from accord.compatibility.service import StaticCheckService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page


class StaticCheckController(Controller):
    """Contracts checked against provider specs without replaying them (bi-directional contract testing)."""

    path = "/api"
    tags = ["static checks"]
    # `static_check_service` is provided by accord.composition (registered on the app).

    @get(
        "/static-checks", operation_id="ListStaticChecks", summary="Newest first; filter by provider, consumer, status"
    )
    async def list_checks(
        self,
        static_check_service: NamedDependency[StaticCheckService],
        provider: FromQuery[str | None] = None,
        consumer: FromQuery[str | None] = None,
        status: FromQuery[Literal["pending", "running", "passed", "failed", "error"] | None] = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[StaticCheckView]:
        return await static_check_service.list(
            provider=provider, consumer=consumer, status=status, limit=limit, cursor=cursor
        )

    @get("/static-checks/{check_id:uuid}", operation_id="GetStaticCheck", summary="A check with its mismatches")
    async def get_check(
        self, static_check_service: NamedDependency[StaticCheckService], check_id: FromPath[UUID]
    ) -> StaticCheckView:
        return await static_check_service.get(check_id)

    @get(
        "/contracts/{consumer:str}/{version:str}/{provider:str}/static-check",
        operation_id="ContractStaticCheck",
        summary="The check of a consumer version's contract against a provider version's spec",
    )
    async def for_contract(
        self,
        static_check_service: NamedDependency[StaticCheckService],
        consumer: FromPath[str],
        version: FromPath[str],
        provider: FromPath[str],
        provider_version: Annotated[str, QueryParameter(name="providerVersion")],
    ) -> StaticCheckView:
        return await static_check_service.for_contract(consumer, version, provider, provider_version)
