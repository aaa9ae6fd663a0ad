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
        # A SECURITY DEFINER function (migration 2026-12-06T00:20): row security shows a connection one tenant's
        # rows only, and the indexer serves them all.
        flipped: int = await conn.fetchval("SELECT accord_index_waiting_vectors($1)", limit)
    return flipped
