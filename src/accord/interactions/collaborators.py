"""What recording needs from the slices above it, as protocols: contracts follow recorded interactions and
similarity finds near-duplicates, but both read interactions, so interactions may not import them (that was
the contracts <-> interactions package loop). accord.composition hands in the real ones.

The rows a NearDuplicateFinder returns are declared here, beside the protocol, rather than beside the query that
fills them (accord.similarity.repository): the protocol is what recording may import."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol
from uuid import UUID

from accord.db.rows import Row


class NearDuplicateRow(Row, frozen=True, kw_only=True):
    """A stored interaction near a recorded one, with its similarity (1 - cosine distance)."""

    id: UUID
    score: float


class VectorNearDuplicateRow(NearDuplicateRow, frozen=True, kw_only=True):
    """A near-duplicate found from a request vector a batch added (`key`), for that provider."""

    key: str
    provider: UUID


class ContractMarks(Protocol):
    """accord.contracts.following.ContractFollower: notes which contracts a recording changed."""

    async def mark(self, pairs: Iterable[tuple[UUID, UUID]]) -> None: ...


class NearDuplicateFinder(Protocol):
    """accord.similarity.repository.InteractionNeighbourRepository: stored interactions near a recorded one."""

    async def near_duplicates(self, interaction_id: UUID, *, threshold: float, k: int) -> list[NearDuplicateRow]: ...

    async def near_duplicates_of_vectors(
        self, keys: list[str], providers: list[UUID], limits: list[int], *, threshold: float
    ) -> list[VectorNearDuplicateRow]: ...
