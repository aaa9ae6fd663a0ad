"""What recording needs from the slices above it, as protocols: contracts follow recorded interactions and
similarity finds near-duplicates, but both read interactions, so interactions may not import them (that was
the contracts <-> interactions package loop). accord.composition hands in the real ones."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol
from uuid import UUID


class ContractMarks(Protocol):
    """accord.contracts.following.ContractFollower: notes which contracts a recording changed."""

    async def mark(self, pairs: Iterable[tuple[UUID, UUID]]) -> None: ...


class NearDuplicateFinder(Protocol):
    """accord.similarity.repository.InteractionNeighbourRepository: stored interactions near a recorded one."""

    async def near_duplicates(self, interaction_id: UUID, *, threshold: float, k: int) -> list[dict[str, Any]]: ...

    async def near_duplicates_of_vectors(
        self, keys: list[str], providers: list[UUID], limits: list[int], *, threshold: float
    ) -> list[dict[str, Any]]: ...
