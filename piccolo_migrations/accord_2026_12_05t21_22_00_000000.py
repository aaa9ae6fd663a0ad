from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T21:22:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "accord_near_duplicates(): a batch's near-duplicates, one HNSW search per new request vector"

# A server-side loop, not one LATERAL join: PostgreSQL uses an index for ORDER BY embedding <=> x only when x is a
# constant or a parameter, never a column of another relation, so a LATERAL k-NN scanned every vector of the tenant
# once per key. In PL/pgSQL the loop's vector is a parameter of each search. Keep in step with
# accord.similarity.repository.nearest_vectors (the indexed vectors by HNSW, the waiting ones by an exact scan).
FUNCTION = """
CREATE OR REPLACE FUNCTION accord_near_duplicates(
    p_tenant uuid, p_keys text[], p_providers uuid[], p_limits int[], p_threshold float8, p_candidates int
) RETURNS TABLE (key text, provider uuid, id uuid, score float8)
LANGUAGE plpgsql STABLE
-- The k-NN of indexed vectors must go through the HNSW index whatever the statistics say: a table that grew since
-- its last ANALYZE looks small, and the planner then sorts every vector of the tenant instead, once per key.
SET enable_sort = off
AS $$
#variable_conflict use_column
DECLARE
    target vector;
    target_operation text;
BEGIN
    FOR n IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
        SELECT rv.embedding, rv.operation INTO target, target_operation
        FROM request_vector rv WHERE rv.tenant = p_tenant AND rv.key = p_keys[n];
        CONTINUE WHEN target IS NULL;
        -- MATERIALIZED: else the planner may run the index search once per interaction of the provider.
        RETURN QUERY
        WITH nv AS MATERIALIZED (
            SELECT both_parts.key, both_parts.distance FROM (
                (SELECT rv.key, rv.operation, rv.embedding <=> target AS distance FROM request_vector rv
                 WHERE rv.tenant = p_tenant AND rv.indexed ORDER BY rv.embedding <=> target LIMIT p_candidates)
                UNION ALL
                (SELECT rv.key, rv.operation, rv.embedding <=> target AS distance FROM request_vector rv
                 WHERE rv.tenant = p_tenant AND NOT rv.indexed AND rv.operation = target_operation
                 ORDER BY rv.embedding <=> target LIMIT p_candidates)
            ) AS both_parts
            WHERE both_parts.operation = target_operation AND 1 - both_parts.distance >= p_threshold
        )
        SELECT p_keys[n]::text, p_providers[n], i.id, 1 - nv.distance
        FROM nv JOIN interaction i ON i.tenant = p_tenant AND i.provider = p_providers[n] AND i.vector_key = nv.key
        ORDER BY nv.distance, i.id
        LIMIT p_limits[n];
    END LOOP;
END
$$
"""


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(FUNCTION)

    async def run_backwards() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("DROP FUNCTION IF EXISTS accord_near_duplicates(uuid, text[], uuid[], int[], float8, int)")

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
