"""Recording interactions: validate, normalize, deduplicate, store in constant statements, mark contracts."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.schemas import VersionRef
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.embeddings.hashing import embedded_request
from accord.environments.service import EnvironmentService
from accord.errors import Conflict, FieldError, InvalidInput, NotFound
from accord.exchanges.normalize import OPERATION_MAX_LENGTH, default_operation
from accord.http.pagination import Page, decode_cursor, page_of
from accord.interactions.collaborators import ContractMarks, NearDuplicateFinder
from accord.interactions.prepared import PreparedInteraction, UnstorableValue, prepare
from accord.interactions.repository import InteractionRepository, InteractionRow, NewInteractionRows
from accord.interactions.schemas import (
    BatchItemResult,
    BatchResult,
    Interaction,
    InteractionCreate,
    InteractionFilters,
    NearDuplicate,
    RecordedInteraction,
)
from accord.interactions.validation import prepare_items
from accord.interactions.vector_repository import NewVector, RequestVectorRepository
from accord.specs.service import SpecService
from accord.tenant_ids import TenantId

# A recording reports the stored interactions at least this similar (same provider and operation): equal
# requests but for an id or a value. A batch looks only from the request vectors it added, in one statement: a
# request whose vector was stored already repeats a recorded request exactly, and looking from it too would cost
# an index scan per item of the repetitive traffic CI records.
NEAR_DUPLICATE_SCORE = 0.95
NEAR_DUPLICATES_REPORTED = 5


class OperationLookup(msgspec.Struct, frozen=True, kw_only=True):
    """A recorded request that names no operation."""

    provider_id: UUID
    method: str
    path: str


class StoredInteractions(msgspec.Struct, kw_only=True):
    """What storing prepared items did, item by item (same order), and the ids it resolved."""

    ids: list[UUID]
    recorded: list[bool]
    recorded_pairs: set[tuple[UUID, UUID]]
    refs: dict[tuple[str, str], VersionRef]
    provider_ids: dict[str, UUID]
    vector_keys: dict[str, str]  # {hash: request vector key} of the rows this stored
    added_vector_keys: set[str]  # the request vectors that were new to the tenant


def _decoded(text: str | None) -> Any:
    return None if text is None else msgspec.json.decode(text)


def to_schema(row: InteractionRow) -> Interaction:
    return Interaction(
        id=row.id,
        consumer=row.consumer,
        consumer_version=row.consumer_version,
        provider=row.provider,
        operation=row.operation,
        request=msgspec.json.decode(row.request),
        response=msgspec.json.decode(row.response),
        environment=row.environment,
        recorded_at=row.recorded_at,
        duration_ms=row.duration_ms,
        client_info=_decoded(row.client_info),
        hash=row.hash,
        content_hash=row.content_hash,
        created_at=row.created_at,
    )


class InteractionService:
    """Recorded interactions of a tenant; every write also marks the contracts it changed (ContractFollower
    derives them once the burst is over, or when something reads them)."""

    def __init__(
        self,
        tenant: TenantId,
        *,
        catalog: ServiceCatalog,
        environments: EnvironmentService,
        specs: SpecService,
        contracts: ContractMarks,
        neighbours: NearDuplicateFinder,
        batch_near_duplicates: bool = True,
    ) -> None:
        """Built by accord.composition.interaction_service, which hands in the collaborators."""
        self.batch_near_duplicates = batch_near_duplicates
        self.catalog = catalog
        self.environments = environments
        self.interactions = InteractionRepository(tenant)
        self.contracts = contracts
        self.specs = specs
        self.neighbours = neighbours
        self.vectors = RequestVectorRepository(tenant)

    async def record(self, data: InteractionCreate) -> RecordedInteraction:
        try:
            prepared = prepare(data)
        except UnstorableValue as exc:
            raise InvalidInput(exc.detail, errors=[FieldError(detail=exc.detail, pointer=exc.pointer)]) from None
        async with get_engine().transaction():
            stored = await self.store([prepared])
            await self.contracts.mark(stored.recorded_pairs)
            near = (
                await self.neighbours.near_duplicates(stored.ids[0], threshold=NEAR_DUPLICATE_SCORE, k=5)
                if stored.recorded[0]
                else []
            )
        return RecordedInteraction(
            id=stored.ids[0],
            status="recorded" if stored.recorded[0] else "duplicate",
            near_duplicates=[NearDuplicate(id=row.id, score=round(row.score, 6)) for row in near],
        )

    async def record_batch(self, items: Sequence[Any]) -> BatchResult:
        """Store the valid items (all or none of them) and report every item's fate by its index."""
        good, errors = prepare_items(items)
        results: list[BatchItemResult | None] = [None] * len(items)
        for index, error in errors.items():
            results[index] = BatchItemResult(index=index, status="error", error=error)
        recorded = 0
        if good:
            prepared = [item for _, item in good]
            async with get_engine().transaction():
                stored = await self.store(prepared)
                await self.contracts.mark(stored.recorded_pairs)
                near = await self._near_duplicates(prepared, stored) if self.batch_near_duplicates else {}
            for position, (index, _) in enumerate(good):
                was_recorded = stored.recorded[position]
                recorded += was_recorded
                results[index] = BatchItemResult(
                    index=index,
                    status="recorded" if was_recorded else "duplicate",
                    id=stored.ids[position],
                    near_duplicates=near.get(position, []),
                )
        return BatchResult(
            recorded=recorded,
            duplicates=len(good) - recorded,
            errors=len(errors),
            results=[result for result in results if result is not None],
        )

    async def _near_duplicates(
        self, items: Sequence[PreparedInteraction], stored: StoredInteractions
    ) -> dict[int, list[NearDuplicate]]:
        """{position: near-duplicates} of the recorded items whose request vector the batch added, looked up in
        one statement (see NEAR_DUPLICATE_SCORE); call inside the recording transaction."""
        wanted: dict[tuple[str, UUID], list[int]] = {}
        for position, item in enumerate(items):
            key = stored.vector_keys.get(item.hash)
            if stored.recorded[position] and key in stored.added_vector_keys:
                wanted.setdefault((key, stored.provider_ids[item.provider]), []).append(position)
        if not wanted:
            return {}
        pairs = sorted(wanted)
        rows = await self.neighbours.near_duplicates_of_vectors(
            [key for key, _ in pairs],
            [provider for _, provider in pairs],
            # Items of the batch with the same request find each other: room for them beside the reported ones.
            [NEAR_DUPLICATES_REPORTED + len(wanted[pair]) for pair in pairs],
            threshold=NEAR_DUPLICATE_SCORE,
        )
        found: dict[tuple[str, UUID], list[NearDuplicate]] = {}
        for row in rows:
            found.setdefault((row.key, row.provider), []).append(NearDuplicate(id=row.id, score=round(row.score, 6)))
        near: dict[int, list[NearDuplicate]] = {}
        for pair, positions in wanted.items():
            for position in positions:
                others = [found_one for found_one in found.get(pair, []) if found_one.id != stored.ids[position]]
                if others:
                    near[position] = others[:NEAR_DUPLICATES_REPORTED]
        return near

    async def store(self, items: Sequence[PreparedInteraction], *, tags: tuple[str, ...] = ()) -> StoredInteractions:
        """Write prepared items inside the caller's transaction, in a constant number of statements.

        Services and versions are created as needed; an item whose hash is already stored (or repeats an
        earlier item) is a duplicate and gets the stored row's id. Contracts are not recomputed here.
        """
        mentions = sorted({(i.consumer, i.consumer_version, i.consumer_branch or "") for i in items})
        # Providers are created with the consumers, in one statement (see ensure_versions_and_services).
        refs, provider_ids = await self.catalog.ensure_versions_and_services(
            [VersionMention(service=c, number=v, branch=b or None, tags=tags) for c, v, b in mentions],
            sorted({item.provider for item in items}),
        )
        # The environment an interaction was recorded in is a name kept on the row (a filter of the list);
        # like every name an upload mentions it also exists as an environment, e.g. to deploy to later.
        await self.environments.ensure_environments([item.environment for item in items if item.environment])
        first: dict[str, PreparedInteraction] = {}
        for item in items:
            first.setdefault(item.hash, item)
        new = sorted(first.values(), key=lambda item: item.hash)
        vector_keys: dict[str, str] = {}
        added_vector_keys: set[str] = set()
        inserted = await self._insert(new, refs, provider_ids, vector_keys, added_vector_keys)
        ids = dict(inserted)
        if len(inserted) < len(new):
            ids.update(await self.interactions.ids_by_hash([item.hash for item in new if item.hash not in inserted]))
            # A row that existed when we tried to insert and is gone now (a concurrent replace deleted it):
            # insert it once more, then give up rather than report an id that doesn't exist.
            vanished = [item for item in new if item.hash not in ids]
            if vanished:
                again = await self._insert(vanished, refs, provider_ids, vector_keys, added_vector_keys)
                inserted.update(again)
                ids.update(again)
                if len(again) < len(vanished):
                    raise Conflict("Interactions changed while they were being recorded; retry the upload.")
        claimed: set[str] = set()
        recorded: list[bool] = []
        for item in items:
            is_new = item.hash in inserted and item.hash not in claimed
            if is_new:
                claimed.add(item.hash)
            recorded.append(is_new)
        pairs = {
            (refs[(item.consumer, item.consumer_version)].version_id, provider_ids[item.provider])
            for item in new
            if item.hash in inserted
        }
        return StoredInteractions(
            ids=[ids[item.hash] for item in items],
            recorded=recorded,
            recorded_pairs=pairs,
            refs=refs,
            provider_ids=provider_ids,
            vector_keys=vector_keys,
            added_vector_keys=added_vector_keys,
        )

    async def _insert(
        self,
        items: Sequence[PreparedInteraction],
        refs: dict[tuple[str, str], VersionRef],
        provider_ids: dict[str, UUID],
        vector_keys: dict[str, str],
        added_vector_keys: set[str],
    ) -> dict[str, UUID]:
        """Insert the given (distinct, hash-ordered) items; {hash: id} of the rows this inserted. Fills in
        each item's request vector key and the keys of the vectors this added."""
        unnamed = [item for item in items if item.operation is None]
        resolved = iter(
            await self.resolve_operations(
                [OperationLookup(provider_id=provider_ids[i.provider], method=i.method, path=i.path) for i in unnamed]
            )
            if unnamed
            else ()
        )
        rows = NewInteractionRows()
        vectors: list[NewVector] = []
        for item in items:
            ref = refs[(item.consumer, item.consumer_version)]
            operation = item.operation if item.operation is not None else next(resolved)
            rows.consumers.append(ref.service_id)
            rows.consumer_versions.append(ref.version_id)
            rows.providers.append(provider_ids[item.provider])
            rows.operations.append(operation)
            rows.requests.append(item.request_json)
            rows.responses.append(item.response_json)
            rows.environments.append(item.environment)
            rows.recorded_at.append(item.recorded_at)
            rows.durations.append(item.duration_ms)
            rows.client_infos.append(item.client_info_json)
            rows.hashes.append(item.hash)
            rows.content_hashes.append(item.content_hash)
            literal, key = embedded_request(operation, item.request_json)
            rows.vector_keys.append(key)
            vector_keys[item.hash] = key
            vectors.append(NewVector(operation=operation, key=key, literal=literal))
        added_vector_keys.update(await self.vectors.insert_missing(vectors))
        return await self.interactions.insert_new(rows)

    async def resolve_operations(self, lookups: Sequence[OperationLookup]) -> list[str]:
        """The operation of each recorded request that names none, in order: the matching operation of its
        provider's latest spec, else 'METHOD /path'. One query for all the providers, whatever their number."""
        indexes = await self.specs.latest_operation_indexes(lookup.provider_id for lookup in lookups)
        names: dict[OperationLookup, str] = {}  # a batch repeats requests: match each distinct one once
        for lookup in lookups:
            if lookup not in names:
                index = indexes.get(lookup.provider_id)
                resolved = index.resolve(lookup.method, lookup.path) if index is not None else None
                names[lookup] = (
                    resolved[:OPERATION_MAX_LENGTH] if resolved else default_operation(lookup.method, lookup.path)
                )
        return [names[lookup] for lookup in lookups]

    async def forget_except(self, consumer_version_id: UUID, provider_id: UUID, keep: Sequence[str]) -> int:
        """Delete a consumer version's interactions with a provider whose hash isn't in `keep` (for replacing
        a published contract); call inside the caller's transaction, then recompute the contract."""
        return await self.interactions.delete_pair_except(consumer_version_id, provider_id, keep)

    async def get(self, interaction_id: UUID) -> Interaction:
        row = await self.interactions.get(interaction_id)
        if row is None:
            raise NotFound(f"No interaction with id {interaction_id}.")
        return to_schema(row)

    async def list_interactions(
        self, filters: InteractionFilters, *, limit: int, cursor: str | None
    ) -> Page[Interaction]:
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.interactions.list_page(
            filters, limit=limit + 1, before=(before[0], before[1]) if before else None
        )
        return page_of(rows, limit, to_schema, lambda item: (item.recorded_at, item.id))
