"""The distinct request vectors of a tenant's recorded interactions (RequestVector), written with them."""

from __future__ import annotations

from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from tables.contracts import RequestVector


class NewVector(msgspec.Struct, frozen=True, kw_only=True):
    operation: str
    key: str
    literal: str  # pgvector text form


class RequestVectorRepository(TenantRepository[RequestVector]):
    """A tenant's request vectors; rows are only ever added (an orphan vector matches no interaction)."""

    table = RequestVector

    async def lock_all_for_delete(self, vector_ids: list[UUID]) -> None:
        await self.fetch("SELECT id FROM request_vector WHERE tenant = $1 AND id = ANY($2) FOR UPDATE", vector_ids)

    async def delete_all(self, vector_ids: list[UUID]) -> None:
        await self.execute("DELETE FROM request_vector WHERE tenant = $1 AND id = ANY($2)", vector_ids)

    async def insert_missing(self, vectors: list[NewVector]) -> set[str]:
        """Add the vectors not stored yet, in one statement: a repeated request costs nothing more. Key
        order: concurrent batches never wait on each other in a cycle. Returns the keys this call added.

        Always waiting (`indexed = false`), whatever the tenant's backlog: an HNSW insertion costs more than the
        rest of a small batch, so the graph is the background VectorIndexer's work alone (accord.similarity.
        indexer, which also says what happens past the backlog cap); searches scan waiting vectors exactly."""
        if not vectors:
            return set()
        distinct = sorted({v.key: v for v in vectors}.values(), key=lambda v: v.key)
        added = await self.fetch(
            # created_at is when the row is written, not when the batch's transaction began (the column's
            # default): the indexer waits until a tenant's newest vector is a quiet moment old, and a large batch
            # commits seconds after it began.
            "INSERT INTO request_vector (tenant, operation, key, embedding, indexed, created_at) "
            "SELECT $1, t.o, t.k, t.e::vector, false, clock_timestamp() "
            "FROM unnest($2::text[], $3::text[], $4::text[]) AS t(o, k, e) "
            # NOT EXISTS first: a stored vector's text is then never parsed (the projection runs after it).
            "WHERE (SELECT true FROM request_vector rv WHERE rv.tenant = $1 AND rv.key = t.k LIMIT 1) IS NULL "
            # Inserted in key order whatever the plan: an anti-join may emit rows in hash order (a Hash Right Anti
            # Join does), and two batches sharing vectors then deadlocked (503 "retry" under 4 concurrent runs).
            "ORDER BY t.k "
            "ON CONFLICT (tenant, key) DO NOTHING RETURNING key",
            [v.operation for v in distinct],
            [v.key for v in distinct],
            [v.literal for v in distinct],
        )
        return {row["key"] for row in added}
