"""The background task that puts the request vectors ingest leaves waiting into the HNSW graph, in every Accord
process.

Ingest never inserts into the graph (an insertion costs more than the rest of a small batch), and searches scan
a tenant's waiting vectors exactly beside the graph, so results never depend on this task's progress; it only
decides how long those exact scans are. It serves a tenant after its burst: once the tenant's newest waiting
vector is QUIET_SECONDS old, so that a CI run's batches don't share the CPU with their own graph insertions.

Past WAITING_VECTORS_CAP waiting vectors a tenant is served first, burst or not. Nothing else changes above the
cap: ingest still only stores (no error, no vector dropped, no inline indexing) and searches stay exact, their
scan of the waiting vectors growing with the backlog (BENCHMARKS.md, issue 19: the cap is where k-NN p99 stays
under 20 ms) until the indexer has caught up.
"""

from __future__ import annotations

from accord.db.round_loop import RoundLoop
from accord.similarity.index_queue import index_waiting_vectors

# Vectors per transaction: an HNSW insertion takes a millisecond or more, and the rows stay locked (by this
# indexer, not against ingest or searches) until the transaction ends.
_PER_ROUND = 64
_IDLE_SECONDS = 0.2
# A CI run sends its batches back to back: two seconds without a new vector is the end of its burst (4 runs at
# once commit a batch of 1,000 every second or so on this 2-core machine).
QUIET_SECONDS = 2.0
# The exact top-10 scan of a tenant's waiting vectors (bench hnsw_params, BENCHMARKS.md issue 19), p99: 10,000 waiting
# 5.7 ms on a quiet machine, 15.6 ms loaded; 20,000 waiting 6.9 and 33 ms. With the rest of a search (p99 ~8 ms over
# HTTP, quiet), 10,000 keeps k-NN p99 under 20 ms.
WAITING_VECTORS_CAP = 10_000


class VectorIndexer(RoundLoop):
    def __init__(self) -> None:
        super().__init__(full_round=_PER_ROUND, idle_seconds=_IDLE_SECONDS)

    async def work_round(self) -> int:
        """Index up to one round of one tenant's waiting vectors; how many."""
        return await index_waiting_vectors(_PER_ROUND, cap=WAITING_VECTORS_CAP, quiet_seconds=QUIET_SECONDS)
