"""Reading published contracts as documents: one by consumer version, the latest (with a tag, on a branch), by
content sha, and the latest of each consumer of a provider or of every pair. Reads only: nothing here writes."""

from __future__ import annotations

from accord.catalog.service import ServiceCatalog
from accord.contracts.repository import ContractContentRepository, ContractRepository
from accord.contracts.schemas import ContractDocument, ContractHead
from accord.http.pagination import Page, decode_cursor, page_of_rows
from accord.tenant_ids import TenantId


class DocumentReader:
    """Publications of a tenant with their documents; contracts that follow recorded interactions are read too
    (their `kind` says so). A missing one is None: callers word their own NotFound."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog) -> None:
        """Built by accord.composition.document_reader, which hands in the catalog."""
        self.catalog = catalog
        self.contracts = ContractRepository(tenant)
        self.contents = ContractContentRepository(tenant)

    async def for_version(self, consumer: str, provider: str, consumer_version: str) -> ContractDocument | None:
        return await self.contracts.document_by_version(consumer, provider, consumer_version)

    async def latest(
        self, consumer: str, provider: str, *, tag: str | None = None, branch: str | None = None
    ) -> ContractDocument | None:
        return await self.contracts.latest_document(consumer, provider, tag=tag, branch=branch, main_branch=False)

    async def by_sha(self, consumer: str, provider: str, sha: str) -> ContractDocument | None:
        """A content of the pair, with the newest consumer version that publishes it (if any still does)."""
        return await self.contents.by_sha_with_latest_version(consumer, provider, sha)

    async def latest_for_provider(
        self, provider: str, *, tag: str | None = None, branch: str | None = None, main_branch: bool = False
    ) -> list[ContractHead]:
        """The latest publication of each consumer of the provider (NotFound for an unknown provider)."""
        await self.catalog.service_id(provider)
        return await self.contracts.latest_per_consumer(provider, tag=tag, branch=branch, main_branch=main_branch)

    async def for_provider(
        self, provider: str, *, tag: str | None, limit: int, cursor: str | None
    ) -> Page[ContractHead]:
        """Every publication with the provider, newest consumer version first (NotFound for an unknown provider)."""
        await self.catalog.service_id(provider)
        before = decode_cursor(cursor, int)
        rows = await self.contracts.for_provider(
            provider, tag=tag, limit=limit + 1, before_position=before[0] if before else None
        )
        return page_of_rows(rows, limit, rows[:limit], lambda row: (row.position,))

    async def latest_per_pair(self) -> list[ContractHead]:
        return await self.contracts.latest_per_pair()
