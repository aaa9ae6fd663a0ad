"""Keeping contracts in step with recorded interactions; every write of interactions ends here."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from accord.contracts.repository import ContractRepository
from accord.tenancy.ids import TenantId


class ContractFollower:
    """Recomputes the contracts of (consumer version, provider) pairs whose interactions changed.

    Concurrent writers for one consumer version are serialized by an advisory lock on (tenant, consumer
    version), taken after their interactions are written and held to commit. The second writer's
    recomputation therefore runs after the first committed and sees both sets of interactions, so the
    publication always converges to the full set. Taking the lock only after writing interactions keeps one
    order everywhere (interaction rows, then locks, then contents), so no two writers can deadlock.
    """

    def __init__(self, tenant: TenantId) -> None:
        self.contracts = ContractRepository(tenant)

    async def lock(self, consumer_version_ids: Collection[UUID]) -> None:
        """Take the consumer versions' locks now (re-taking them later in the transaction is free)."""
        await self.contracts.lock_consumer_versions(consumer_version_ids)

    async def follow(self, pairs: Collection[tuple[UUID, UUID]]) -> None:
        """Recompute the (consumer version id, provider id) pairs; call inside the writing transaction."""
        if pairs:
            ordered = sorted(set(pairs))
            await self.contracts.lock_consumer_versions(pair[0] for pair in ordered)
            await self.contracts.recompute(ordered)
