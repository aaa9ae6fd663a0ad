"""Adding the waiting request vectors of one tenant at a time to the HNSW index, for the background vector indexer.

Like contracts/pending_queue.py, a query of a tenant-owned table that isn't tenant-scoped: the indexer serves every
tenant, and it only flips the rows' `indexed` flag (no tenant's data is read or returned).
tests/test_tenant_scoping.py allows this module by name.
"""

from __future__ import annotations

from accord.db.engine import connection


async def index_waiting_vectors(limit: int, *, cap: int, quiet_seconds: float) -> int:
    """Put up to `limit` waiting request vectors of one tenant into the HNSW index (a new row version that the
    partial index now covers); how many. The tenant: one with more than `cap` waiting first, else one whose newest
    waiting vector is `quiet_seconds` old (its burst is over), longest quiet first. Rows another indexer holds are
    skipped, so several processes share the work."""
    async with connection() as conn:
        # A SECURITY DEFINER function (migration 2026-12-06T05:10): row security shows a connection one tenant's
        # rows only, and the indexer serves them all.
        flipped: int = await conn.fetchval(
            "SELECT accord_index_waiting_vectors($1, $2, $3)", limit, cap, float(quiet_seconds)
        )
    return flipped
