"""Nearest neighbours by cosine distance on the `embedding` columns, through their HNSW indexes.

The tenant (and any filter) is a WHERE clause on an approximate index scan: pgvector's iterative scan
(`hnsw.iterative_scan`, 0.8) keeps reading the graph until `k` rows pass the filters, so a small tenant among
large ones still gets its k neighbours. `relaxed_order` may return them slightly out of order: the outer
query sorts them again by exact distance.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from accord.db.engine import connection
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from accord.fixtures.repository import _SELECT_FIXTURES, FixtureRow
from accord.interactions.collaborators import NearDuplicateRow, VectorNearDuplicateRow
from accord.interactions.repository import _SELECT as _SELECT_INTERACTIONS
from accord.interactions.repository import InteractionRow
from accord.similarity.schemas import NeighbourFilters
from tables.contracts import Interaction
from tables.fixtures import Fixture

# ef_search bounds the candidates kept per step; 100 keeps recall@10 high on 200,000 rows at ~ms cost.
_EF_SEARCH = 100
# Near-duplicates (similarity >= 0.95) are a request's very nearest vectors: ingest looks for them among this
# many, with as small a search, and keeps those of the request's operation: filtering the index scan by operation
# would make pgvector's iterative scan read on through the graph (up to hnsw.max_scan_tuples) whenever the
# operation has few vectors. The exact scan of the vectors waiting for the indexer filters by operation (its index
# has it).
_NEAR_VECTORS = "20"
# How far an iterative scan may read (pgvector's default): the graph holds every tenant's vectors, so a tenant with
# few of them makes a filtered scan read on. A near-duplicate lies among a request's very nearest vectors, so its
# search stops much earlier: a batch runs one per new vector, and a new tenant's first batch of 1,000 otherwise
# read 20,000 tuples per vector (minutes).
_MAX_SCAN_TUPLES = 20_000
_NEAR_MAX_SCAN_TUPLES = 1_000


class InteractionNeighbourRow(InteractionRow, frozen=True, kw_only=True):
    """A recorded interaction and its cosine distance to the vector searched from."""

    distance: float


class FixtureNeighbourRow(FixtureRow, frozen=True, kw_only=True):
    """A fixture and its cosine distance to the vector searched from."""

    distance: float


class InteractionVectorRow(Row, frozen=True, kw_only=True):
    """An interaction's provider, operation and request vector (pgvector text)."""

    provider: UUID
    operation: str
    embedding: str


class FixtureVectorRow(Row, frozen=True, kw_only=True):
    """A fixture's request vector (pgvector text); None until it has one."""

    embedding: str | None


async def tune_index_scan(ef_search: int | str = _EF_SEARCH, *, max_scan_tuples: int | None = None) -> None:
    """Scan settings for this transaction only (SET LOCAL): pooled connections keep no session state."""
    async with connection() as conn:
        await conn.execute(
            "SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true),"
            " set_config('hnsw.max_scan_tuples', $2, true)",
            str(ef_search),
            str(max_scan_tuples or _MAX_SCAN_TUPLES),
        )


def nearest_vectors(target: str, where: str, limit: str, *, waiting_where: str | None = None) -> str:
    """SQL of the `limit` request vectors (alias rv, passing `where`) nearest to `target`, as (key, operation,
    distance): the HNSW index over the indexed ones, beside an exact scan of those still waiting for the
    VectorIndexer (`waiting_where` narrows that scan only)."""
    part = (
        "(SELECT rv.key, rv.operation, rv.embedding <=> {target} AS distance FROM request_vector rv "
        "WHERE {where} AND {which} ORDER BY rv.embedding <=> {target} LIMIT {limit})"
    )
    indexed = part.format(target=target, where=where, which="rv.indexed", limit=limit)
    waiting = part.format(target=target, where=waiting_where or where, which="NOT rv.indexed", limit=limit)
    return (
        f"SELECT key, operation, distance FROM ({indexed} UNION ALL {waiting}) AS both_parts "
        f"ORDER BY distance LIMIT {limit}"
    )


def _conditions(alias: str, filters: NeighbourFilters, args: list[Any]) -> str:
    """The filters as SQL on `alias`; their values are appended to args (bound after the tenant, `$1`)."""
    parts: list[str] = []

    def bind(value: Any) -> str:
        args.append(value)
        return f"${len(args) + 1}"

    if filters.provider is not None:
        parts.append(
            f"{alias}.provider = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(filters.provider)})"
        )
    if filters.consumer is not None:
        parts.append(
            f"{alias}.consumer = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(filters.consumer)})"
        )
    if filters.operation is not None:
        parts.append(f"{alias}.operation = {bind(filters.operation)}")
    if filters.status is not None:
        parts.append(f"{alias}.status = {bind(filters.status)}")
    return "".join(f" AND {part}" for part in parts)


class InteractionNeighbourRepository(TenantRepository[Interaction]):
    """Recorded interactions nearest to a vector: the HNSW scan runs over the distinct request vectors
    (request_vector), then expands each to the interactions that have it (the interactions slice writes both)."""

    table = Interaction

    async def nearest(
        self, vector: str, *, k: int, filters: NeighbourFilters, exclude: UUID | None = None
    ) -> list[InteractionNeighbourRow]:
        """Interaction rows with `distance`, nearest first; call inside a transaction (for the scan settings).

        Each vector stands for one interaction at least, so k + 1 vectors give k interactions even when one is
        excluded; a provider or consumer filter (not columns of the vectors) reads ten times as many."""
        await tune_index_scan()
        narrowed = filters.provider is not None or filters.consumer is not None
        vectors = min(10 * k, 1000) if narrowed else k + 1
        args: list[Any] = [vector, exclude, k, vectors]
        on_vectors = _conditions("rv", NeighbourFilters(operation=filters.operation), args)
        on_interactions = _conditions("i", NeighbourFilters(provider=filters.provider, consumer=filters.consumer), args)
        return await self.fetch_as(
            InteractionNeighbourRow,
            f"WITH nv AS MATERIALIZED ({nearest_vectors('$2::text::vector', f'rv.tenant = $1{on_vectors}', '$5')}), "
            # Per vector, its first k interactions by id (an index range): a vector repeated by thousands of
            # recordings costs k rows, not thousands.
            "hits AS MATERIALIZED (SELECT i.id, nv.distance FROM nv CROSS JOIN LATERAL (SELECT i.id "
            "  FROM interaction i WHERE i.tenant = $1 AND i.vector_key = nv.key "
            f"  AND ($3::uuid IS NULL OR i.id <> $3::uuid){on_interactions} ORDER BY i.id LIMIT $4) i "
            "  ORDER BY nv.distance, i.id LIMIT $4) "
            f"SELECT q.*, hits.distance FROM ({_SELECT_INTERACTIONS}) q JOIN hits ON hits.id = q.id "
            "ORDER BY hits.distance, q.id",
            *args,
        )

    async def vector_of(self, interaction_id: UUID) -> InteractionVectorRow | None:
        return await self.fetch_one(
            InteractionVectorRow,
            "SELECT i.provider, i.operation, rv.embedding::text AS embedding FROM interaction i "
            "JOIN request_vector rv ON rv.tenant = $1 AND rv.key = i.vector_key "
            "WHERE i.tenant = $1 AND i.id = $2",
            interaction_id,
        )

    async def near_duplicates(self, interaction_id: UUID, *, threshold: float, k: int) -> list[NearDuplicateRow]:
        """Other interactions of the same provider and operation within `threshold` similarity, nearest first
        (id and score); call inside a transaction."""
        me = await self.vector_of(interaction_id)
        if me is None:
            return []
        await tune_index_scan(ef_search=_NEAR_VECTORS, max_scan_tuples=_NEAR_MAX_SCAN_TUPLES)
        nearest = nearest_vectors(
            "$3::text::vector", "rv.tenant = $1", _NEAR_VECTORS, waiting_where="rv.tenant = $1 AND rv.operation = $4"
        )
        return await self.fetch_as(
            NearDuplicateRow,
            f"WITH nv AS MATERIALIZED (SELECT n.key, 1 - n.distance AS score FROM ({nearest}) n "
            "  WHERE n.operation = $4) "
            "SELECT i.id, nv.score FROM nv JOIN interaction i ON i.tenant = $1 AND i.provider = $2 "
            "  AND i.vector_key = nv.key "
            "WHERE i.id <> $5 AND nv.score >= $7 ORDER BY nv.score DESC, i.id LIMIT $6",
            me.provider,
            me.embedding,
            me.operation,
            interaction_id,
            k,
            threshold,
        )

    async def near_duplicates_of_vectors(
        self, keys: list[str], providers: list[UUID], limits: list[int], *, threshold: float
    ) -> list[VectorNearDuplicateRow]:
        """near_duplicates for many (vector key, provider) pairs in one statement: per pair, its interactions
        within `threshold` of that vector (the same operation and provider), nearest first, at most its limit
        (key, provider, id, score); call inside a transaction. Ingest asks it for the vectors a batch added."""
        if not keys:
            return []
        # A server-side loop (migration 2026-12-05T21:22): an index serves ORDER BY embedding <=> x only when x
        # is a parameter, so a LATERAL join scanned every vector of the tenant once per key.
        return await self.fetch_as(
            VectorNearDuplicateRow,
            "SELECT id, score, key, provider FROM accord_near_duplicates($1, $2::text[], $3::uuid[], $4::int[], "
            "$5, $6) ORDER BY key, provider, score DESC, id",
            keys,
            providers,
            limits,
            threshold,
            int(_NEAR_VECTORS),
        )


class FixtureNeighbourRepository(TenantRepository[Fixture]):
    """Fixtures nearest to a vector."""

    table = Fixture

    async def nearest(
        self, vector: str, *, k: int, filters: NeighbourFilters, exclude: UUID | None = None
    ) -> list[FixtureNeighbourRow]:
        await tune_index_scan()
        args: list[Any] = [vector, exclude, k]
        where = _conditions("n", filters, args)
        return await self.fetch_as(
            FixtureNeighbourRow,
            "WITH nearest AS MATERIALIZED (SELECT n.id, n.embedding <=> $2::text::vector AS distance "
            "  FROM fixture n WHERE n.tenant = $1 AND n.embedding IS NOT NULL "
            f"  AND ($3::uuid IS NULL OR n.id <> $3::uuid){where} "
            "  ORDER BY n.embedding <=> $2::text::vector LIMIT $4) "
            f"SELECT q.*, nearest.distance FROM ({_SELECT_FIXTURES}) q JOIN nearest ON nearest.id = q.id "
            "ORDER BY nearest.distance, q.id",
            *args,
        )

    async def vector_of(self, fixture_id: UUID) -> FixtureVectorRow | None:
        """A fixture's vector, or None when there is no such fixture."""
        return await self.fetch_one(
            FixtureVectorRow,
            "SELECT embedding::text AS embedding FROM fixture WHERE tenant = $1 AND id = $2",
            fixture_id,
        )
