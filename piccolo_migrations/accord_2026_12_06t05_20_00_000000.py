from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T05:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "accord_near_duplicates(): searches only for request vectors that can have a near-duplicate"

# A near-duplicate has the request's operation and provider. A batch of CI traffic adds vectors of operations the
# tenant has no other vector of (paths with ids name their own operation when no spec names it), and each one still
# cost an HNSW search and an exact scan: one per new vector, most of a large batch's time once ingest stopped
# indexing inline. One set-based statement now picks the keys worth a search: another vector of the operation
# exists (in the graph or waiting), or another interaction of the provider has this very vector (equal requests
# of one batch). The HNSW part runs only when the graph holds a vector of the operation (a partial index answers in
# one probe). The results are the same: the other keys had nothing to find. Otherwise as migration 21:22.
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
    wanted record;
    target vector;
    target_operation text;
BEGIN
    FOR wanted IN
        SELECT k.n, rv.embedding, rv.operation,
               EXISTS (SELECT 1 FROM request_vector o
                       WHERE o.tenant = p_tenant AND o.operation = rv.operation AND o.indexed) AS in_graph
        FROM unnest(p_keys) WITH ORDINALITY AS k(vector_key, n)
        JOIN request_vector rv ON rv.tenant = p_tenant AND rv.key = k.vector_key
        WHERE EXISTS (SELECT 1 FROM request_vector o
                      WHERE o.tenant = p_tenant AND o.operation = rv.operation AND o.indexed)
           OR EXISTS (SELECT 1 FROM request_vector o
                      WHERE o.tenant = p_tenant AND o.operation = rv.operation AND NOT o.indexed
                        AND o.key <> k.vector_key)
           OR EXISTS (SELECT 1 FROM interaction i
                      WHERE i.tenant = p_tenant AND i.vector_key = k.vector_key AND i.provider = p_providers[k.n]
                      OFFSET 1)
        ORDER BY k.n
    LOOP
        target := wanted.embedding;
        target_operation := wanted.operation;
        -- MATERIALIZED: else the planner may run the index search once per interaction of the provider.
        RETURN QUERY
        WITH nv AS MATERIALIZED (
            SELECT both_parts.key, both_parts.distance FROM (
                (SELECT rv.key, rv.operation, rv.embedding <=> target AS distance FROM request_vector rv
                 WHERE wanted.in_graph AND rv.tenant = p_tenant AND rv.indexed
                 ORDER BY rv.embedding <=> target LIMIT p_candidates)
                UNION ALL
                (SELECT rv.key, rv.operation, rv.embedding <=> target AS distance FROM request_vector rv
                 WHERE rv.tenant = p_tenant AND NOT rv.indexed AND rv.operation = target_operation
                 ORDER BY rv.embedding <=> target LIMIT p_candidates)
            ) AS both_parts
            WHERE both_parts.operation = target_operation AND 1 - both_parts.distance >= p_threshold
        )
        SELECT p_keys[wanted.n]::text, p_providers[wanted.n], i.id, 1 - nv.distance
        FROM nv JOIN interaction i
            ON i.tenant = p_tenant AND i.provider = p_providers[wanted.n] AND i.vector_key = nv.key
        ORDER BY nv.distance, i.id
        LIMIT p_limits[wanted.n];
    END LOOP;
END
$$
"""

# The function of migration 21:22, as it was.
PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION accord_near_duplicates(
    p_tenant uuid, p_keys text[], p_providers uuid[], p_limits int[], p_threshold float8, p_candidates int
) RETURNS TABLE (key text, provider uuid, id uuid, score float8)
LANGUAGE plpgsql STABLE
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

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS request_vector_indexed_operation ON request_vector (tenant, operation) WHERE indexed",
    FUNCTION,
]
BACKWARDS = [PREVIOUS_FUNCTION, "DROP INDEX IF EXISTS request_vector_indexed_operation"]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
