"""What a provider version must verify, and the verdicts it publishes."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.errors import FieldError, InvalidInput, NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId
from accord.verification.interaction_keys import interaction_keys
from accord.verification.repository import ResultRow, VerificationRepository
from accord.verification.schemas import (
    InteractionOutcome,
    SelectedVersion,
    VerificationResult,
    VerificationResultCreate,
    VerificationSummary,
    VerificationTask,
    VerificationTasks,
)


def _json(value: Any) -> Any:
    """jsonb arrives from raw SQL as text."""
    return msgspec.json.decode(value) if isinstance(value, str | bytes) else value


def _to_result(row: ResultRow) -> VerificationResult:
    return VerificationResult(
        id=row.id,
        provider=row.provider,
        provider_version=row.provider_version,
        consumer=row.consumer,
        sha=row.sha,
        success=row.success,
        results=msgspec.convert(_json(row.results) or [], list[InteractionOutcome]),
        verified_by=_json(row.verified_by),
        build_url=row.build_url,
        created_at=row.created_at,
    )


class VerificationService:
    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog) -> None:
        """Built by accord.composition, which hands in the catalog."""
        self.catalog = catalog
        self.repository = VerificationRepository(tenant)

    async def tasks(
        self, provider: str, *, provider_version: str | None, environment: str | None, inline: bool = True
    ) -> VerificationTasks:
        """Contracts to verify, one task per distinct content (a read: creates nothing). The route's guard has
        derived the pending contracts."""
        provider_id = await self.catalog.service_id(provider)
        rows = await self.repository.selected_contracts(provider_id, environment)
        by_content: dict[UUID, VerificationTask] = {}
        for row in rows:
            task = by_content.get(row.content)
            if task is None:
                task = VerificationTask(
                    consumer=row.consumer,
                    content_id=row.content,
                    sha=row.sha,
                    kind=row.kind,
                    consumer_versions=[],
                    interactions=[],
                    verification=None,
                    content_url=f"/api/contract-contents/{row.sha}?"
                    + urlencode({"consumer": row.consumer, "provider": provider}),
                )
                by_content[row.content] = task
            task.consumer_versions.append(
                SelectedVersion(number=row.number, reason=row.reason, environment=row.environment)
            )
        content_ids = list(by_content)
        documents = await self.repository.contents(content_ids) if content_ids and inline else {}
        for content_id, document in documents.items():
            decoded = _json(document)
            by_content[content_id].interactions = decoded.get("interactions", []) if isinstance(decoded, dict) else []
        if provider_version is not None and content_ids:
            try:
                ref = await self.catalog.find_version(provider, provider_version)
            except NotFound:
                ref = None  # a version not built yet has verified nothing
            if ref is not None:
                latest = await self.repository.latest_results(content_ids, ref.version_id)
                for content_id, result in latest.items():
                    by_content[content_id].verification = VerificationSummary(
                        id=result.id,
                        success=result.success,
                        provider_version=result.provider_version,
                        verified_at=result.created_at,
                        build_url=result.build_url,
                    )
        return VerificationTasks(
            provider=provider,
            provider_version=provider_version,
            environment=environment,
            tasks=list(by_content.values()),
        )

    async def record(
        self, provider: str, data: VerificationResultCreate, *, provider_tags: Sequence[str] = ()
    ) -> VerificationResult:
        """`provider_tags`: labels the provider version gets with the result, in the same transaction."""
        failed = [outcome.interaction for outcome in data.results if not outcome.success]
        if data.success and failed:
            raise InvalidInput(
                "success is true but some interactions failed.",
                errors=[FieldError(detail=f"failed: {', '.join(failed[:10])}", pointer="/success")],
            )
        async with get_engine().transaction():
            if provider_tags:
                await self.catalog.ensure_version(
                    VersionMention(service=provider, number=data.provider_version, tags=tuple(provider_tags))
                )
            provider_id = await self.catalog.service_id(provider)
            content = await self.repository.find_content(data.contract.consumer, provider_id, data.contract.sha)
            if content is None:
                raise NotFound(
                    f"No contract {data.contract.sha[:12]}... of '{data.contract.consumer}' with '{provider}'."
                )
            known = set(interaction_keys("", _json(content.content)))
            unknown = [outcome.interaction for outcome in data.results if outcome.interaction not in known]
            if unknown:
                raise InvalidInput(
                    "Some results name interactions that are not in the contract.",
                    errors=[
                        FieldError(detail=f"unknown interaction '{key}'", pointer=f"/results/{index}/interaction")
                        for index, outcome in enumerate(data.results)
                        for key in [outcome.interaction]
                        if key in unknown
                    ][:20],
                )
            ref = await self.catalog.ensure_version(
                VersionMention(
                    service=provider,
                    number=data.provider_version,
                    branch=data.provider_branch,
                    build_url=data.build_url,
                )
            )
            result_id = await self.repository.record(
                {
                    "content": content.id,
                    "consumer": content.consumer,
                    "provider": provider_id,
                    "provider_version": ref.version_id,
                    "success": data.success,
                    "results": msgspec.json.encode(data.results).decode(),
                    "verified_by": msgspec.json.encode(data.verified_by).decode() if data.verified_by else None,
                    "build_url": data.build_url,
                }
            )
        return await self.get(result_id)

    async def latest_result_id(self, content_id: UUID) -> UUID | None:
        """The id of the newest result recorded against a contract content, if any."""
        return await self.repository.latest_result_id(content_id)

    async def get(self, result_id: UUID, *, provider: str | None = None) -> VerificationResult:
        row = await self.repository.get(result_id)
        if row is None or (provider is not None and row.provider != provider):
            raise NotFound(f"No verification result {result_id}.")
        return _to_result(row)

    async def list(
        self, provider: str, *, limit: int, cursor: str | None, success: bool | None
    ) -> Page[VerificationResult]:
        provider_id = await self.catalog.service_id(provider)
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.repository.list_page(
            provider_id=provider_id, limit=limit + 1, before=(before[0], before[1]) if before else None, success=success
        )
        return page_of(rows, limit, _to_result, lambda result: (result.created_at, result.id))
