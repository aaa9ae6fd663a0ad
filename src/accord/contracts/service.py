"""Contracts: reading what consumer versions expect of providers, and publishing a whole contract at once."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

import msgspec

from accord.contracts.following import ContractFollower
from accord.contracts.repository import ContentRow, ContractContentRepository, ContractRepository, PublicationRow
from accord.contracts.schemas import (
    Contract,
    ContractContentDocument,
    ContractPublish,
    ContractSummary,
    PublishedContent,
    PublishedContract,
    PublishStatus,
)
from accord.db.engine import get_engine
from accord.errors import Conflict, FieldError, InvalidInput, NotFound
from accord.exchanges.normalize import contract_sha
from accord.http.pagination import Page, decode_cursor, page_of
from accord.interactions.prepared import PreparedInteraction, UnstorableValue, prepare
from accord.interactions.schemas import InteractionCreate
from accord.interactions.service import InteractionService
from accord.tenant_ids import TenantId


def _content_document(row: ContentRow) -> ContractContentDocument:
    return msgspec.convert(
        {**msgspec.structs.asdict(row), "content": msgspec.json.decode(row.content)}, ContractContentDocument
    )


def _summary(row: PublicationRow) -> ContractSummary:
    return msgspec.convert(msgspec.structs.asdict(row), ContractSummary)


class ContractService:
    """Contracts of a tenant: each (consumer version, provider) publication points at a shared content."""

    def __init__(self, tenant: TenantId, *, follower: ContractFollower, interactions: InteractionService) -> None:
        """Built by accord.composition.contract_service, which hands in the collaborators."""
        self.contracts = ContractRepository(tenant)
        self.contents = ContractContentRepository(tenant)
        self.follower = follower
        self.interactions = interactions

    async def list_contracts(
        self,
        *,
        consumer: str | None,
        provider: str | None,
        consumer_version: str | None,
        limit: int,
        cursor: str | None,
    ) -> Page[ContractSummary]:
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.contracts.list_page(
            consumer=consumer,
            provider=provider,
            consumer_version=consumer_version,
            limit=limit + 1,
            before=(before[0], before[1]) if before else None,
        )
        # The cursor ends with the publication's id, which the summary does not show; (consumer, version,
        # provider) names one publication.
        ids = {(row.consumer, row.consumer_version, row.provider): row.id for row in rows}
        return page_of(
            rows,
            limit,
            _summary,
            lambda item: (item.updated_at, ids[(item.consumer, item.consumer_version, item.provider)]),
        )

    async def get(self, consumer: str, consumer_version: str, provider: str) -> Contract:
        row = await self.contracts.get(consumer, consumer_version, provider)
        if row is None:
            raise NotFound(f"'{consumer}' version '{consumer_version}' has no contract with '{provider}'.")
        return msgspec.convert(
            {**msgspec.structs.asdict(row), "interactions": msgspec.json.decode(row.interactions)}, Contract
        )

    async def get_by_sha(self, sha: str, *, consumer: str, provider: str) -> ContractContentDocument:
        row = await self.contents.by_sha(consumer, provider, sha)
        if row is None:
            raise NotFound(f"No contract content {sha} of '{consumer}' with '{provider}'.")
        return _content_document(row)

    async def get_content(self, content_id: UUID) -> ContractContentDocument:
        """A content by id (what verification results point at)."""
        row = await self.contents.by_id(content_id)
        if row is None:
            raise NotFound(f"No contract content with id {content_id}.")
        return _content_document(row)

    async def contents_for(self, consumer_version_ids: Sequence[UUID], provider_id: UUID) -> list[PublishedContent]:
        """What each of the consumer versions expects of the provider (versions without a contract are absent)."""
        if not consumer_version_ids:
            return []
        return await self.contracts.contents_for(consumer_version_ids, provider_id)

    async def providers_of(self, consumer_version_id: UUID) -> list[str]:
        """Providers the version (as a consumer) published contracts for, by name."""
        return await self.contracts.providers_of_consumer_version(consumer_version_id)

    async def publish(self, data: ContractPublish, *, replace: bool) -> PublishedContract:
        """Set the consumer version's contract with the provider to exactly the given interactions.

        New -> created. The same set as published -> unchanged. A different set -> Conflict, unless `replace`,
        which forgets the version's other interactions with the provider -> replaced.
        """
        prepared = self._prepare(data)
        sha = contract_sha(item.content_hash for item in prepared)
        async with get_engine().transaction():
            stored = await self.interactions.store(prepared, tags=tuple(data.tags))
            version_id = stored.refs[(data.consumer, data.consumer_version)].version_id
            provider_id = stored.provider_ids[data.provider]
            # Locked after the interactions are written, like every writer (see ContractFollower).
            await self.follower.lock([version_id])
            # What was published before this upload: its recorded batches count even if not derived yet.
            just_recorded = [item.hash for item, new in zip(prepared, stored.recorded, strict=True) if new]
            current = await self.follower.current_sha(version_id, provider_id, excluding=just_recorded)
            status: PublishStatus
            if current == sha:
                status = "unchanged"
            elif current is None:
                status = "created"
            elif not replace:
                raise Conflict(
                    f"'{data.consumer}' version '{data.consumer_version}' already published a different contract "
                    f"with '{data.provider}' ({current}); publish with ?replace=true to replace it."
                )
            else:
                await self.interactions.forget_except(version_id, provider_id, [item.hash for item in prepared])
                status = "replaced"
            if status != "unchanged" or any(stored.recorded):
                await self.follower.follow([(version_id, provider_id)])
        return PublishedContract(
            consumer=data.consumer,
            consumer_version=data.consumer_version,
            provider=data.provider,
            sha=sha,
            interaction_count=len({item.content_hash for item in prepared}),
            status=status,
        )

    def _prepare(self, data: ContractPublish) -> list[PreparedInteraction]:
        prepared: list[PreparedInteraction] = []
        errors: list[FieldError] = []
        for index, interaction in enumerate(data.interactions):
            item = InteractionCreate(
                consumer=data.consumer,
                consumer_version=data.consumer_version,
                consumer_branch=data.consumer_branch,
                provider=data.provider,
                operation=interaction.operation,
                request=interaction.request,
                response=interaction.response,
                environment=interaction.environment,
                recorded_at=interaction.recorded_at,
                duration_ms=interaction.duration_ms,
                client_info=interaction.client_info,
            )
            try:
                prepared.append(prepare(item))
            except UnstorableValue as exc:
                errors.append(FieldError(detail=exc.detail, pointer=f"/interactions/{index}{exc.pointer}"))
        if errors:
            raise InvalidInput("Some interactions can't be stored; see `errors`.", errors=errors)
        return prepared
