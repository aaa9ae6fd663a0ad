"""The background task that adds the request vectors ingest stored unindexed to the HNSW index, in every
Accord process.

Searches don't wait for it (they scan the unindexed vectors exactly), so it only bounds how long those scans
stay: ingest stores new vectors indexed at once when a tenant's backlog is full (see RequestVectorRepository).
"""

from __future__ import annotations

from accord.db.round_loop import RoundLoop
from accord.similarity.index_queue import index_waiting_vectors

# Vectors per transaction: an HNSW insertion takes about a millisecond or more, and the rows stay locked
# (by this indexer, not against ingest or searches) until the transaction ends.
_PER_ROUND = 64
_IDLE_SECONDS = 0.2


class VectorIndexer(RoundLoop):
    def __init__(self) -> None:
        super().__init__(full_round=_PER_ROUND, idle_seconds=_IDLE_SECONDS)

    async def work_round(self) -> int:
        """Index up to one round of waiting vectors; how many."""
        return await index_waiting_vectors(_PER_ROUND)
