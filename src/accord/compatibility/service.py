"""Reading static check results (the checks themselves run in the background worker)."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.compatibility.api_schemas import CheckSummary, StaticCheckView
from accord.compatibility.repository import StaticCheckRepository, StaticCheckRow, StaticCheckWithResultsRow
from accord.errors import NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId


def _view(row: StaticCheckRow, *, with_results: bool) -> StaticCheckView:
    summary = msgspec.json.decode(row.summary) if row.summary else None
    results = row.results if with_results and isinstance(row, StaticCheckWithResultsRow) else None
    return StaticCheckView(
        id=row.id,
        consumer=row.consumer,
        provider=row.provider,
        contract_sha=row.contract_sha,
        spec_sha=row.spec_sha,
        status=row.status,
        summary=msgspec.convert(summary, CheckSummary) if summary else None,
        error=row.error or None,
        created_at=row.created_at,
        checked_at=row.checked_at,
        results=msgspec.json.decode(results) if results else None,
    )


class StaticCheckService:
    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog) -> None:
        """Built by accord.composition, which hands in the catalog."""
        self.catalog = catalog
        self.repository = StaticCheckRepository(tenant)

    async def get(self, check_id: UUID) -> StaticCheckView:
        row = await self.repository.get(check_id)
        if row is None:
            raise NotFound(f"No static check {check_id}.")
        return _view(row, with_results=True)

    async def for_contract(self, consumer: str, version: str, provider: str, provider_version: str) -> StaticCheckView:
        """The check of a consumer version's contract against a provider version's spec."""
        consumer_ref = await self.catalog.find_version(consumer, version)
        provider_ref = await self.catalog.find_version(provider, provider_version)
        content_id = await self.repository.publication_content(consumer_ref.version_id, provider_ref.service_id)
        if content_id is None:
            raise NotFound(f"{consumer} {version} has no contract with {provider}.")
        spec_sha = await self.repository.spec_sha_of(provider_ref.version_id)
        if spec_sha is None:
            raise NotFound(f"{provider} {provider_version} has no spec.")
        row = await self.repository.for_contract(content_id, spec_sha)
        if row is None:
            raise NotFound("That contract has not been queued against that spec.")
        return _view(row, with_results=True)

    async def list(
        self, *, provider: str | None, consumer: str | None, status: str | None, limit: int, cursor: str | None
    ) -> Page[StaticCheckView]:
        provider_id = await self.catalog.service_id(provider) if provider else None
        consumer_id = await self.catalog.service_id(consumer) if consumer else None
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.repository.list_page(
            provider_id=provider_id,
            consumer_id=consumer_id,
            status=status,
            limit=limit + 1,
            before=(before[0], before[1]) if before else None,
        )
        return page_of(rows, limit, lambda row: _view(row, with_results=False), lambda view: (view.created_at, view.id))
