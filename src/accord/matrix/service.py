"""can-i-deploy, the matrix of a pair, and dashboard reads. Reads only: nothing here writes."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from accord.catalog.service import ServiceCatalog
from accord.errors import NotFound
from accord.http.pagination import Page, decode_cursor, page_of, page_of_rows
from accord.matrix.answer import MatrixLine
from accord.matrix.query import MAX_MATRIX_LIMIT, MatrixQuery, Selector
from accord.matrix.query_service import MatrixQueryService
from accord.matrix.repository import HistoryEventRow, MatrixRepository
from accord.matrix.schemas import (
    CanIDeploy,
    CanIDeployRow,
    CanIDeploySummary,
    HistoryEvent,
    Integration,
    MatrixRow,
    RowStaticCheck,
    RowVerification,
    TenantCounts,
)
from accord.matrix.self_verification import missing_self_verification
from accord.tenant_ids import TenantId


def _history_event(row: HistoryEventRow) -> HistoryEvent:
    return HistoryEvent(at=row.at, kind=row.kind, version=row.version, detail=row.detail, id=row.id)


def _row(service: str, version: str, line: MatrixLine) -> CanIDeployRow:
    verification = line.verification
    return CanIDeployRow(
        role="consumer" if (line.consumer, line.consumer_version.number) == (service, version) else "provider",
        consumer=line.consumer,
        consumer_version=line.consumer_version.number,
        provider=line.provider,
        provider_version=line.provider_version.number if line.provider_version else None,
        contract_sha=line.contract_sha,
        status=line.status,
        verification=RowVerification(
            id=verification.id, success=verification.success, verified_at=verification.verified_at
        )
        if verification
        else None,
        verified_by=line.verified_by,
        static_check=RowStaticCheck(
            id=line.static_check.id,
            passed=line.static_check.passed,
            mismatches=list(line.static_check.mismatches),
            spec_self_verified=line.static_check.spec_verified,
        )
        if line.static_check
        else None,
    )


def _order(line: MatrixLine, service: str, version: str) -> tuple[Any, ...]:
    """Its contracts first (by provider, absent providers first, newest provider version first), then the
    consumers in the environment (by consumer, newest first)."""
    if (line.consumer, line.consumer_version.number) == (service, version):
        position = line.provider_version.position if line.provider_version else None
        return (0, line.provider, position is not None, -(position or 0))
    return (1, line.consumer, True, -line.consumer_version.position)


def _sentence(row: CanIDeployRow) -> str:
    pair = f"{row.consumer} {row.consumer_version} -> {row.provider}"
    if row.status == "provider-absent":
        return f"{row.provider} is not deployed or released in the environment (needed by {pair})"
    provider = f"{row.provider} {row.provider_version}"
    check = row.static_check
    if row.status == "failed" and row.verification is None and check is not None and not check.passed:
        found = "; ".join(check.mismatches) or "mismatches"
        return f"{row.consumer} {row.consumer_version}'s contract does not match {provider}'s OpenAPI spec: {found}"
    if row.verification is None and check is not None and row.provider_version is not None:
        # The contract matches the spec, but nothing proves the provider implements the spec.
        untrusted = missing_self_verification(row.provider, row.provider_version, check.spec_self_verified)
        return f"{row.consumer} {row.consumer_version}'s contract matches {provider}'s OpenAPI spec, but {untrusted}"
    if row.status == "failed":
        return f"verification of {row.consumer} {row.consumer_version}'s contract by {provider} failed"
    return f"{provider} has not verified {row.consumer} {row.consumer_version}'s contract ({row.contract_sha[:12]})"


def _verdict(rows: list[CanIDeployRow]) -> tuple[bool | None, str, CanIDeploySummary]:
    failed = [row for row in rows if row.status in ("failed", "provider-absent")]
    unknown = [row for row in rows if row.status == "unverified"]
    summary = CanIDeploySummary(
        success=len(rows) - len(failed) - len(unknown), failed=len(failed), unknown=len(unknown)
    )
    if failed:
        return False, "; ".join(_sentence(row) for row in failed + unknown), summary
    if unknown:
        return None, "; ".join(_sentence(row) for row in unknown), summary
    if not rows:
        return True, "No integrations depend on this version in the environment.", summary
    return True, f"All {len(rows)} required verification(s) passed.", summary


class MatrixService:
    """Reads contracts. can_i_deploy's answer settles pending contracts itself; for the other reads callers
    derive them first (ContractFollower.settle; on the API routes the settle_pending_contracts guard)."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog, queries: MatrixQueryService) -> None:
        self.catalog = catalog
        self.repository = MatrixRepository(tenant)
        self.queries = queries

    async def can_i_deploy(self, service: str, version: str, environment: str) -> CanIDeploy:
        """Checked both ways: as a consumer, each provider in the environment must have verified this version's
        contract; as a provider, this version must have verified every consumer version in the environment."""
        answer = await self.queries.answer(
            MatrixQuery(
                selectors=(Selector(service=service, version=version),),
                environment=environment,
                latestby="cvpv",
                limit=MAX_MATRIX_LIMIT,
            )
        )
        # The answer resolved the service, the version and the environment in its own statements.
        if answer.unknown_services:
            raise NotFound(f"No service named '{service}'.")
        if answer.missing_versions:
            raise NotFound(f"Service '{service}' has no version '{version}'.")
        if answer.unknown_environment is not None:
            raise NotFound(f"No environment named '{environment}'.")
        lines = sorted(answer.lines, key=lambda line: _order(line, service, version))
        rows = [_row(service, version, line) for line in lines]
        deployable, reason, summary = _verdict(rows)
        return CanIDeploy(
            service=service,
            version=version,
            environment=environment,
            deployable=deployable,
            reason=reason,
            summary=summary,
            rows=rows,
        )

    async def pair_matrix(self, consumer: str, provider: str, *, limit: int, cursor: str | None) -> Page[MatrixRow]:
        """`limit` rows: consumer versions newest first, each with its verdicts newest first (a version's
        verdicts may continue on the next page)."""
        consumer_id = await self.catalog.service_id(consumer)
        provider_id = await self.catalog.service_id(provider)
        after = decode_cursor(cursor, int, datetime.datetime | None, UUID | None)
        rows = await self.repository.pair(
            consumer_id, provider_id, limit=limit + 1, after=(after[0], after[1], after[2]) if after else None
        )
        items = [
            MatrixRow(
                consumer_version=row.consumer_version,
                provider_version=row.provider_version,
                contract_sha=row.sha,
                success=row.success,
                verified_at=row.verified_at,
            )
            for row in rows[:limit]
        ]
        return page_of_rows(rows, limit, items, lambda row: (row.position, row.verified_at, row.verification_id))

    async def integrations(self) -> list[Integration]:
        return [
            Integration(
                consumer=row.consumer,
                provider=row.provider,
                latest_consumer_version=row.consumer_version,
                contract_sha=row.sha,
                status="unverified" if row.success is None else ("verified" if row.success else "failed"),
                provider_version=row.provider_version,
                verified_at=row.verified_at,
            )
            for row in await self.repository.integrations()
        ]

    async def history(self, service: str, *, limit: int, cursor: str | None) -> Page[HistoryEvent]:
        service_id = await self.catalog.service_id(service)
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.repository.history(
            service_id, limit=limit + 1, before=(before[0], before[1]) if before else None
        )
        return page_of(rows, limit, _history_event, lambda event: (event.at, event.id))

    async def counts(self) -> TenantCounts:
        counts = await self.repository.counts()
        return TenantCounts(
            services=counts.services,
            versions=counts.versions,
            environments=counts.environments,
            interactions=counts.interactions,
            contracts=counts.contracts,
            verifications=counts.verifications,
            failed_verifications=counts.failed_verifications,
            current_deployments=counts.current_deployments,
            fixtures_approved=counts.fixtures_approved,
        )
