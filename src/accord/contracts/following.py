"""Keeping contracts in step with recorded interactions; every write of interactions ends here."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable
from uuid import UUID

from accord.contracts.pending_repository import Pair, PendingContractRepository
from accord.contracts.repository import ContractRepository
from accord.db.engine import get_engine
from accord.tenant_ids import TenantId


class ContractFollower:
    """Derives the contracts of (consumer version, provider) pairs from their recorded interactions.

    Recording a batch only marks its pairs pending (`mark`, one statement): CI sends a run's interactions in
    many small batches, and deriving the whole contract after each of them made a run cost the square of its
    size and queued static checks for every intermediate content. A pending contract is derived once, by
    `settle` — which everything that reads contracts calls first, so a reader always sees the contract of every
    batch committed before it — or by the background ContractSettler once its batches have stopped coming.

    Derivers of one consumer version are serialized by an advisory lock on (tenant, consumer version), held
    to commit. A deriver reads the marks after taking the lock, derives in a later statement (whose snapshot
    holds every batch whose mark it read) and clears only the marks still at the generation it read: a batch
    committed meanwhile keeps its pair marked. Marks are cleared last, after every content and publication
    write, so a deriver waiting on a batch's mark never holds what that batch waits on.
    """

    def __init__(self, tenant: TenantId) -> None:
        self.contracts = ContractRepository(tenant)
        self.pending = PendingContractRepository(tenant)

    async def lock(self, consumer_version_ids: Collection[UUID]) -> None:
        """Take the consumer versions' locks now (re-taking them later in the transaction is free)."""
        await self.contracts.lock_consumer_versions(consumer_version_ids)

    async def mark(self, pairs: Iterable[Pair]) -> None:
        """Note that recorded interactions changed these contracts; call inside the writing transaction."""
        await self.pending.mark(sorted(set(pairs)))

    async def follow(self, pairs: Collection[Pair]) -> None:
        """Derive the pairs now, inside the writing transaction (a publish that must answer with the result)."""
        if pairs:
            ordered = sorted(set(pairs))
            await self.contracts.lock_consumer_versions(pair[0] for pair in ordered)
            marked = await self.pending.marked()
            await self.derive(ordered)
            await self.pending.clear({pair: marked[pair] for pair in ordered if pair in marked})

    async def settle(self) -> None:
        """Derive every pending contract of the tenant now. One statement when nothing is pending."""
        marked = await self.pending.marked()
        if marked:
            await self._settle(set(marked))

    async def settle_quiet(self, quiet_for: datetime.timedelta, at_most_after: datetime.timedelta) -> None:
        """Derive the pending contracts no batch marked for `quiet_for` (or first marked `at_most_after` ago)."""
        marked = await self.pending.marked(quiet_for=quiet_for, at_most_after=at_most_after)
        if marked:
            await self._settle(set(marked))

    async def current_sha(self, consumer_version_id: UUID, provider_id: UUID, *, excluding: list[str]) -> str | None:
        """The SHA of the pair's contract before the caller's transaction recorded `excluding` (interaction
        hashes); the caller holds the consumer version's lock. A pending pair's SHA comes from its interactions."""
        if (consumer_version_id, provider_id) in await self.pending.marked():
            return await self.contracts.interactions_sha(consumer_version_id, provider_id, excluding=excluding)
        return await self.contracts.published_sha(consumer_version_id, provider_id)

    async def settle_locked(self, consumer_version_id: UUID) -> None:
        """Derive the consumer version's pending contracts, inside the caller's transaction, which holds its
        lock (a publish reads the current contract next and must see every recorded batch in it)."""
        marked = {pair: gen for pair, gen in (await self.pending.marked()).items() if pair[0] == consumer_version_id}
        if marked:
            await self.derive(sorted(marked), as_recorded=True)
            await self.pending.clear(marked)

    async def _settle(self, pairs: set[Pair]) -> None:
        async with get_engine().transaction():
            await self.contracts.lock_consumer_versions(pair[0] for pair in pairs)
            # Read again under the lock: another deriver may have settled some meanwhile.
            marked = {pair: generation for pair, generation in (await self.pending.marked()).items() if pair in pairs}
            await self.derive(sorted(marked), as_recorded=True)
            await self.pending.clear(marked)

    async def derive(self, pairs: list[Pair], *, as_recorded: bool = False) -> list[Pair]:
        """Point each pair's publication at the content of its current interactions; the pairs whose content
        changed. The one place where recorded interactions change a contract's content (callers hold the
        consumer versions' locks). `as_recorded`: date the change when its interactions were recorded."""
        return await self.contracts.recompute(pairs, as_recorded=as_recorded)
