from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, QueryParameter

from accord.compatibility.api_schemas import StaticCheckView
from accord.compatibility.service import StaticCheckService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenancy.ids import TenantId


def provide_static_check_service(tenant_id: NamedDependency[TenantId]) -> StaticCheckService:
    return StaticCheckService(tenant_id)


class StaticCheckController(Controller):
    """Contracts checked against provider specs without replaying them (bi-directional contract testing)."""

    path = "/api"
    tags = ["static checks"]
    dependencies = {"checks": Provide(provide_static_check_service, sync_to_thread=False)}

    @get(
        "/static-checks", operation_id="ListStaticChecks", summary="Newest first; filter by provider, consumer, status"
    )
    async def list_checks(
        self,
        checks: NamedDependency[StaticCheckService],
        provider: FromQuery[str | None] = None,
        consumer: FromQuery[str | None] = None,
        status: FromQuery[Literal["pending", "running", "passed", "failed", "error"] | None] = None,
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
    ) -> Page[StaticCheckView]:
        return await checks.list(provider=provider, consumer=consumer, status=status, limit=limit, cursor=cursor)

    @get("/static-checks/{check_id:uuid}", operation_id="GetStaticCheck", summary="A check with its mismatches")
    async def get_check(self, checks: NamedDependency[StaticCheckService], check_id: FromPath[UUID]) -> StaticCheckView:
        return await checks.get(check_id)

    @get(
        "/contracts/{consumer:str}/{version:str}/{provider:str}/static-check",
        operation_id="ContractStaticCheck",
        summary="The check of a consumer version's contract against a provider version's spec",
    )
    async def for_contract(
        self,
        checks: NamedDependency[StaticCheckService],
        consumer: FromPath[str],
        version: FromPath[str],
        provider: FromPath[str],
        provider_version: Annotated[str, QueryParameter(name="providerVersion")],
    ) -> StaticCheckView:
        return await checks.for_contract(consumer, version, provider, provider_version)
