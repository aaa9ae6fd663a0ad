"""Publishing contract documents (contents of kind 'pact') for a consumer version, with its branch and tags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import msgspec

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.contracts.document_queries import CurrentContentRow
from accord.contracts.documents import MergeConflict, document_sha, interaction_count, merge_documents
from accord.contracts.following import ContractFollower
from accord.contracts.repository import ContractContentRepository, ContractRepository
from accord.db.engine import get_engine
from accord.errors import Conflict, NotFound
from accord.tenant_ids import TenantId

DocumentStatus = Literal["created", "unchanged", "replaced", "merged"]


class DocumentToPublish(msgspec.Struct, frozen=True, kw_only=True):
    """A checked document (accord.contracts.documents.check_document) for a provider; `merge` adds its
    interactions to the published document instead of replacing it."""

    provider: str
    document: dict[str, Any]
    merge: bool
    pointer: str  # where the document is in the request, for errors


class PublishedDocument(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    provider: str
    sha: str
    status: DocumentStatus


class RefusedDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A document that would change what the consumer version published: `merge_conflict` says why merging
    failed; otherwise the published content (recorded from interactions, or not) differs."""

    provider: str
    pointer: str
    recorded: bool
    merge_conflict: str | None = None


class DocumentsRefused(Conflict):
    """Nothing was published: some documents would change published content."""

    def __init__(self, mention: VersionMention, refused: Sequence[RefusedDocument]) -> None:
        super().__init__(
            f"'{mention.service}' version '{mention.number}' already published a different contract with "
            f"'{refused[0].provider}'; publish with ?replace=true to replace it."
        )
        self.mention = mention
        self.refused = list(refused)


class DocumentPublisher:
    """Stores documents as contents of kind 'pact' and publishes them for a consumer version, race-free: the
    consumer version's lock (shared with contracts that follow recorded interactions) serializes publishers.

    Published content is immutable by default: republishing the same document (by its normalized sha) is fine,
    a different one is refused (DocumentsRefused) unless `replace` is asked for or the document is merged.
    """

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog, follower: ContractFollower) -> None:
        """Built by accord.composition.document_publisher, which hands in the collaborators."""
        self.catalog = catalog
        self.follower = follower
        self.contracts = ContractRepository(tenant)
        self.contents = ContractContentRepository(tenant)

    async def version_exists(self, service: str, number: str) -> bool:
        try:
            await self.catalog.find_version(service, number)
        except NotFound:
            return False
        return True

    async def publish(
        self, mention: VersionMention, documents: Sequence[DocumentToPublish], *, replace: bool
    ) -> list[PublishedDocument]:
        """All documents or none; a constant number of statements whatever their number."""
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(mention)
            provider_ids = await self.catalog.ensure_services([item.provider for item in documents])
            await self.follower.lock([ref.version_id])
            await self.follower.settle_locked(ref.version_id)  # recorded batches not derived yet count as published
            rows = await self.contracts.current_contents(ref.version_id, list(provider_ids.values()))
            current = {row.provider: row for row in rows}
            published: list[PublishedDocument] = []
            to_store: list[tuple[Any, str, str, int]] = []
            refused: list[RefusedDocument] = []
            for item in documents:
                existing = current.get(provider_ids[item.provider])
                document, sha, status = _resolve(item, existing, replace=replace, refused=refused)
                if status != "unchanged":
                    to_store.append(
                        (
                            provider_ids[item.provider],
                            sha,
                            msgspec.json.encode(document).decode(),
                            interaction_count(document),
                        )
                    )
                published.append(
                    PublishedDocument(
                        consumer=mention.service,
                        consumer_version=mention.number,
                        provider=item.provider,
                        sha=sha,
                        status=status,
                    )
                )
            if refused:
                raise DocumentsRefused(mention, refused)
            if to_store:
                await self.contents.store_documents(ref.service_id, to_store)
                await self.contracts.publish_contents(
                    ref.service_id, ref.version_id, [(provider, sha) for provider, sha, _, _ in to_store]
                )
        return published


def _resolve(
    item: DocumentToPublish,
    existing: CurrentContentRow | None,
    *,
    replace: bool,
    refused: list[RefusedDocument],
) -> tuple[dict[str, Any], str, DocumentStatus]:
    """The document to publish, its sha, and what publishing it does to the current publication."""
    if existing is None:
        return item.document, document_sha(item.document), "created"
    recorded = existing.kind != "pact"
    document = item.document
    if item.merge and not recorded:
        try:
            document = merge_documents(msgspec.json.decode(existing.content), item.document)
        except MergeConflict as exc:
            refused.append(
                RefusedDocument(
                    provider=item.provider, pointer=item.pointer, recorded=recorded, merge_conflict=str(exc)
                )
            )
            return document, existing.sha, "unchanged"
    sha = document_sha(document)
    if sha == existing.sha:
        return document, sha, "unchanged"
    if item.merge and not recorded:
        return document, sha, "merged"
    if replace:
        return document, sha, "replaced"
    refused.append(RefusedDocument(provider=item.provider, pointer=item.pointer, recorded=recorded))
    return document, existing.sha, "unchanged"
