"""The distinct request vectors of a provider's recorded interactions (RequestVector), written with them."""

from __future__ import annotations

from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from tables.contracts import RequestVector


class NewVector(msgspec.Struct, frozen=True, kw_only=True):
    provider_id: UUID
    operation: str
    key: str
    literal: str  # pgvector text form


class RequestVectorRepository(TenantRepository[RequestVector]):
    """A tenant's request vectors; rows are only ever added (an orphan vector matches no interaction)."""

    table = RequestVector

    async def insert_missing(self, vectors: list[NewVector]) -> None:
        """Add the vectors not stored yet, in one statement. A stored one conflicts on the unique key before
        anything is written, so a repeated request costs no HNSW insertion. Key order: no deadlock cycle."""
        if not vectors:
            return
        distinct = sorted({(v.provider_id, v.key): v for v in vectors}.values(), key=lambda v: (v.key, v.provider_id))
        await self.execute(
            "INSERT INTO request_vector (tenant, provider, operation, key, embedding) "
            "SELECT $1, t.p, t.o, t.k, t.e::vector FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[]) "
            "AS t(p, o, k, e) ON CONFLICT (tenant, provider, key) DO NOTHING",
            [v.provider_id for v in distinct],
            [v.operation for v in distinct],
            [v.key for v in distinct],
            [v.literal for v in distinct],
        )
