from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.verification.schemas import (
    InteractionsForm,
    VerificationResult,
    VerificationResultCreate,
    VerificationTasks,
)
from accord.verification.service import VerificationService


class VerificationController(Controller):
    path = "/api/verification/{provider:str}"
    tags = ["verification"]
    # `verification_service` is provided by accord.composition (registered on the app).

    @get(
        "/tasks",
        operation_id="VerificationTasks",
        summary="Contracts the provider version must verify: deployed, released and main-branch consumers "
        "(`interactions=link`: each task links its content instead of inlining its interactions)",
    )
    async def tasks(
        self,
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        provider_version: Annotated[str | None, QueryParameter(name="providerVersion")] = None,
        environment: FromQuery[str | None] = None,
        interactions: FromQuery[InteractionsForm] = "inline",
    ) -> VerificationTasks:
        return await verification_service.tasks(
            provider, provider_version=provider_version, environment=environment, inline=interactions == "inline"
        )

    @post("/results", operation_id="RecordVerificationResult")
    async def record(
        self,
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        data: JSONBody[VerificationResultCreate],
    ) -> VerificationResult:
        return await verification_service.record(provider, data)

    @get("/results", operation_id="ListVerificationResults", summary="Newest first; `success` filters")
    async def list_results(
        self,
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        success: FromQuery[bool | None] = None,
    ) -> Page[VerificationResult]:
        return await verification_service.list(provider, limit=limit, cursor=cursor, success=success)

    @get("/results/{result_id:uuid}", operation_id="GetVerificationResult")
    async def get_result(
        self,
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        result_id: FromPath[UUID],
    ) -> VerificationResult:
        return await verification_service.get(result_id, provider=provider)
