"""Static check rows: their inputs, results and the reads of the API and can-i-deploy."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.compatibility.api_schemas import CheckStatus
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import StaticCheck

_CHECK = (
    "SELECT sc.id, sc.status, sc.spec_sha, sc.summary::text AS summary, sc.error, sc.created_at, sc.checked_at, "
    "cc.sha AS contract_sha, cs.name AS consumer, ps.name AS provider {extra}"
    "FROM static_check sc "
    "JOIN contract_content cc ON cc.tenant = $1 AND cc.id = sc.content "
    "JOIN service cs ON cs.tenant = $1 AND cs.id = cc.consumer "
    "JOIN service ps ON ps.tenant = $1 AND ps.id = cc.provider "
    "WHERE sc.tenant = $1 "
)


class StaticCheckRow(Row, frozen=True, kw_only=True):
    """A static check as listed (_CHECK); `summary` is JSON text."""

    id: UUID
    status: CheckStatus
    spec_sha: str
    summary: str | None
    error: str | None
    created_at: datetime.datetime
    checked_at: datetime.datetime | None
    contract_sha: str
    consumer: str
    provider: str


class StaticCheckWithResultsRow(StaticCheckRow, frozen=True, kw_only=True):
    """A static check with its results (JSON text; None until checked)."""

    results: str | None


class CheckInputsRow(Row, frozen=True, kw_only=True):
    """What a static check reads: the contract's kind and document, and the spec's (None: the spec is gone)."""

    kind: str
    contract: str
    spec: str | None


class StaticCheckRepository(TenantRepository[StaticCheck]):
    table = StaticCheck

    async def inputs(self, content_id: UUID, spec_sha: str) -> CheckInputsRow | None:
        """The documents as text; None if the contract is gone, a row whose `spec` is None if the spec is."""
        return await self.fetch_one(
            CheckInputsRow,
            "SELECT cc.kind, cc.content::text AS contract, "
            "(SELECT sp.content::text FROM spec sp WHERE sp.tenant = $1 AND sp.content_sha = $3 LIMIT 1) AS spec "
            "FROM contract_content cc WHERE cc.tenant = $1 AND cc.id = $2",
            content_id,
            spec_sha,
        )

    async def finish(
        self, check_id: UUID, *, status: str, summary: dict[str, int] | None, results: Any, error: str = ""
    ) -> None:
        await self.execute(
            "UPDATE static_check SET status = $3, summary = $4::jsonb, results = $5::jsonb, error = $6, "
            "checked_at = now(), updated_at = now() WHERE tenant = $1 AND id = $2",
            check_id,
            status,
            msgspec.json.encode(summary).decode() if summary is not None else None,
            msgspec.json.encode(results).decode() if results is not None else None,
            error,
        )

    async def get(self, check_id: UUID) -> StaticCheckWithResultsRow | None:
        return await self.fetch_one(
            StaticCheckWithResultsRow,
            _CHECK.format(extra=", sc.results::text AS results ") + "AND sc.id = $2",
            check_id,
        )

    async def for_contract(self, content_id: UUID, spec_sha: str) -> StaticCheckWithResultsRow | None:
        return await self.fetch_one(
            StaticCheckWithResultsRow,
            _CHECK.format(extra=", sc.results::text AS results ") + "AND sc.content = $2 AND sc.spec_sha = $3",
            content_id,
            spec_sha,
        )

    async def list_page(
        self,
        *,
        provider_id: UUID | None,
        consumer_id: UUID | None,
        status: str | None,
        limit: int,
        before: tuple[datetime.datetime, UUID] | None,
    ) -> list[StaticCheckRow]:
        return await self.fetch_as(
            StaticCheckRow,
            _CHECK.format(extra="")
            + "AND ($2::uuid IS NULL OR cc.provider = $2) AND ($3::uuid IS NULL OR cc.consumer = $3) "
            "AND ($4::text IS NULL OR sc.status = $4) "
            "AND ($5::timestamptz IS NULL OR (sc.created_at, sc.id) < ($5, $6::uuid)) "
            "ORDER BY sc.created_at DESC, sc.id DESC LIMIT $7",
            provider_id,
            consumer_id,
            status,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def spec_sha_of(self, version_id: UUID) -> str | None:
        rows = await self.fetch("SELECT content_sha FROM spec WHERE tenant = $1 AND version = $2", version_id)
        return str(rows[0]["content_sha"]) if rows else None

    async def publication_content(self, consumer_version_id: UUID, provider_id: UUID) -> UUID | None:
        rows = await self.fetch(
            "SELECT content FROM contract_publication WHERE tenant = $1 AND consumer_version = $2 AND provider = $3",
            consumer_version_id,
            provider_id,
        )
        return rows[0]["content"] if rows else None
