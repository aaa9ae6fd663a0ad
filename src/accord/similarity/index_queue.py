"""Adding every tenant's waiting request vectors to the HNSW index, for the background vector indexer.

Like contracts/pending_queue.py, a query of a tenant-owned table that isn't tenant-scoped: the indexer serves every
tenant, and it only flips the rows' `indexed` flag (no tenant's data is read or returned).
tests/test_tenant_scoping.py allows this module by name.
"""

from __future__ import annotations

from accord.db.engine import connection


async def index_waiting_vectors(limit: int) -> int:
    """Put up to `limit` unindexed request vectors into the HNSW index (a new row version that the partial
    index now covers); how many. Rows another indexer holds are skipped, so several processes share the work."""
    async with connection() as conn:
        status: str = await conn.execute(
            "UPDATE request_vector SET indexed = true WHERE id IN ("
            "  SELECT id FROM request_vector WHERE NOT indexed LIMIT $1 FOR UPDATE SKIP LOCKED)",
            limit,
        )
    return int(status.rsplit(" ", 1)[-1])
