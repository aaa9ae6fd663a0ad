"""Marks on contracts that recorded interactions have outdated, until ContractFollower derives them."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

from accord.db.repository import TenantRepository
from tables.contracts import PendingContract

Pair = tuple[UUID, UUID]  # (consumer version id, provider id)


class PendingContractRepository(TenantRepository[PendingContract]):
    """A tenant's pending contracts, each with the generation a deriver compares before clearing it."""

    table = PendingContract

    async def mark(self, pairs: Sequence[Pair]) -> None:
        """Mark the pairs (one statement, in key order so that concurrent batches can't deadlock on them)."""
        if pairs:
            await self.execute(
                "INSERT INTO pending_contract (tenant, consumer_version, provider) "
                "SELECT $1, t.cv, t.p FROM unnest($2::uuid[], $3::uuid[]) AS t(cv, p) ORDER BY t.cv, t.p "
                "ON CONFLICT (tenant, consumer_version, provider) DO UPDATE "
                "SET generation = pending_contract.generation + 1, marked_at = clock_timestamp()",
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
            )

    async def marked(
        self, *, quiet_for: datetime.timedelta | None = None, at_most_after: datetime.timedelta | None = None
    ) -> dict[Pair, int]:
        """{pair: generation} of the marked pairs; with `quiet_for`, only those no batch marked for that long
        (or first marked longer ago than `at_most_after`)."""
        if quiet_for is None:
            rows = await self.fetch(
                "SELECT consumer_version, provider, generation FROM pending_contract WHERE tenant = $1"
            )
        else:
            rows = await self.fetch(
                "SELECT consumer_version, provider, generation FROM pending_contract WHERE tenant = $1 "
                "AND (marked_at < clock_timestamp() - $2::interval "
                "  OR first_marked_at < clock_timestamp() - $3::interval)",
                quiet_for,
                at_most_after or quiet_for,
            )
        return {(row["consumer_version"], row["provider"]): row["generation"] for row in rows}

    async def clear(self, generations: dict[Pair, int]) -> None:
        """Unmark the pairs still at the given generation (a batch that marked one again keeps it marked).
        Rows are taken in key order, like `mark`."""
        if generations:
            pairs = sorted(generations)
            await self.execute(
                "DELETE FROM pending_contract WHERE id IN ("
                "  SELECT pc.id FROM pending_contract pc "
                "  JOIN unnest($2::uuid[], $3::uuid[], $4::int[]) AS t(cv, p, g) "
                "    ON pc.consumer_version = t.cv AND pc.provider = t.p AND pc.generation = t.g "
                "  WHERE pc.tenant = $1 ORDER BY pc.consumer_version, pc.provider FOR UPDATE OF pc)",
                [pair[0] for pair in pairs],
                [pair[1] for pair in pairs],
                [generations[pair] for pair in pairs],
            )
