from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenancy.ids import TenantId
from accord.verification.schemas import (
    InteractionsForm,
    VerificationResult,
    VerificationResultCreate,
    VerificationTasks,
)
from accord.verification.service import VerificationService


def provide_verification_service(tenant_id: NamedDependency[TenantId]) -> VerificationService:
    return VerificationService(tenant_id)


class VerificationController(Controller):
    path = "/api/verification/{provider:str}"
    tags = ["verification"]
    dependencies = {"verifications": Provide(provide_verification_service, sync_to_thread=False)}

    @get(
        "/tasks",
        operation_id="VerificationTasks",
        summary="Contracts the provider version must verify: deployed, released and main-branch consumers "
        "(`interactions=link`: each task links its content instead of inlining its interactions)",
    )
    async def tasks(
        self,
        verifications: NamedDependency[VerificationService],
        provider: FromPath[str],
        provider_version: Annotated[str | None, QueryParameter(name="providerVersion")] = None,
        environment: FromQuery[str | None] = None,
        interactions: FromQuery[InteractionsForm] = "inline",
    ) -> VerificationTasks:
        return await verifications.tasks(
            provider, provider_version=provider_version, environment=environment, inline=interactions == "inline"
        )

    @post("/results", operation_id="RecordVerificationResult")
    async def record(
        self,
        verifications: NamedDependency[VerificationService],
        provider: FromPath[str],
        data: JSONBody[VerificationResultCreate],
    ) -> VerificationResult:
        return await verifications.record(provider, data)

    @get("/results", operation_id="ListVerificationResults", summary="Newest first; `success` filters")
    async def list_results(
        self,
        verifications: NamedDependency[VerificationService],
        provider: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        success: FromQuery[bool | None] = None,
    ) -> Page[VerificationResult]:
        return await verifications.list(provider, limit=limit, cursor=cursor, success=success)

    @get("/results/{result_id:uuid}", operation_id="GetVerificationResult")
    async def get_result(
        self, verifications: NamedDependency[VerificationService], provider: FromPath[str], result_id: FromPath[UUID]
    ) -> VerificationResult:
        return await verifications.get(result_id, provider=provider)
