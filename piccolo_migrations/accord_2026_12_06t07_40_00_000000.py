from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T07:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "ingest: audit triggers return at once when a statement wrote no row; per-key plans in near-duplicates"

# Every batch of a CI run names services, versions and branches that exist: its INSERT ... ON CONFLICT DO NOTHING
# statements write no row, and their audit triggers still built and planned a dynamic INSERT each (0.4 ms, most of
# such a statement's cost). The function is otherwise that of migration 21:36.
AUDIT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION accord_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    tenant_column text := TG_ARGV[0];
    label_column text := TG_ARGV[1];
    actor text := COALESCE(NULLIF(current_setting('accord.actor', true), ''), 'system:' || session_user);
    request text := NULLIF(current_setting('accord.request_id', true), '');
    labels text := '''{}''::jsonb';
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
    ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_entry (id, tenant, actor, action, resource, resource_id, request_id, summary)
        SELECT gen_random_uuid(), c.owner, actor, 'update', TG_TABLE_NAME,
               CASE WHEN count(DISTINCT c.row_id) = 1 THEN min(c.row_id) END, request,
               jsonb_build_object('rows', count(DISTINCT c.row_id), 'changed', jsonb_agg(DISTINCT c.col))
        FROM (
            SELECT (n.j ->> tenant_column)::uuid AS owner, n.j ->> 'id' AS row_id, k.key AS col
            FROM (SELECT to_jsonb(x) AS j FROM new_rows x) n
            JOIN (SELECT to_jsonb(y) AS j FROM old_rows y) o ON o.j -> 'id' = n.j -> 'id'
            CROSS JOIN LATERAL jsonb_each(n.j) AS k
            WHERE k.key NOT IN ('updated_at', 'last_used_at') AND k.value IS DISTINCT FROM o.j -> k.key
        ) c
        WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.id = c.owner)
        GROUP BY c.owner;
        RETURN NULL;
    END IF;
    IF label_column <> '' THEN
        labels := format('jsonb_build_object(''labels'', to_jsonb((array_agg(r.%I::text ORDER BY r.%I))[1:5]))',
                         label_column, label_column);
    END IF;
    -- Only the columns named here are read from the transition table: rows can be large (interaction bodies).
    -- A tenant deleted in this statement (cascading to its rows) takes its log with it: nothing to write.
    EXECUTE format(
        'INSERT INTO audit_entry (id, tenant, actor, action, resource, resource_id, request_id, summary) '
        'SELECT gen_random_uuid(), r.%1$I, $1, $2, $3, CASE WHEN count(*) = 1 THEN min(r.id::text) END, $4, '
        'jsonb_build_object(''rows'', count(*)) || %3$s '
        'FROM %2$I r WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.id = r.%1$I) GROUP BY r.%1$I',
        tenant_column, CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END, labels)
    USING actor, lower(TG_OP), TG_TABLE_NAME, request;
    RETURN NULL;
END $$
"""

# Which of a batch's vectors can have a near-duplicate is now asked key by key (a LATERAL lookup by the unique key,
# scalar sub-selects instead of EXISTS): the planner turned the join and the EXISTS into scans of every vector of
# the tenant (a Materialize of the tenant's vectors, hashed sub-plans), planned with the statistics of a tenant
# that was small at its last ANALYZE, so a batch's cost grew with the tenant's history. The HNSW search settings
# are the function's own. Otherwise as migration 05:20.
NEAR_DUPLICATES_FUNCTION = """
CREATE OR REPLACE FUNCTION accord_near_duplicates(
    p_tenant uuid, p_keys text[], p_providers uuid[], p_limits int[], p_threshold float8, p_candidates int
) RETURNS TABLE (key text, provider uuid, id uuid, score float8)
LANGUAGE plpgsql STABLE
-- The k-NN of indexed vectors must go through the HNSW index whatever the statistics say: a table that grew since
-- its last ANALYZE looks small, and the planner then sorts every vector of the tenant instead, once per key.
SET enable_sort = off
-- The search settings of accord.similarity.repository's near-duplicate search (_NEAR_VECTORS, _NEAR_MAX_SCAN_TUPLES),
-- held by the function itself: one round trip less per batch, and they end with the call.
SET hnsw.ef_search = 20
SET hnsw.iterative_scan = relaxed_order
SET hnsw.max_scan_tuples = 1000
AS $$
#variable_conflict use_column
DECLARE
    wanted record;
    target vector;
    target_operation text;
BEGIN
    FOR wanted IN
        SELECT k.n, rv.embedding, rv.operation,
               (SELECT true FROM request_vector o
                WHERE o.tenant = p_tenant AND o.operation = rv.operation AND o.indexed LIMIT 1) IS NOT NULL AS in_graph
        FROM unnest(p_keys) WITH ORDINALITY AS k(vector_key, n)
        CROSS JOIN LATERAL (SELECT v.embedding, v.operation FROM request_vector v
                            WHERE v.tenant = p_tenant AND v.key = k.vector_key LIMIT 1) AS rv
        WHERE (SELECT true FROM request_vector o
               WHERE o.tenant = p_tenant AND o.operation = rv.operation AND o.indexed LIMIT 1) IS NOT NULL
           OR (SELECT true FROM request_vector o
               WHERE o.tenant = p_tenant AND o.operation = rv.operation AND NOT o.indexed
                 AND o.key <> k.vector_key LIMIT 1) IS NOT NULL
           OR (SELECT true FROM interaction i
               WHERE i.tenant = p_tenant AND i.vector_key = k.vector_key AND i.provider = p_providers[k.n]
               OFFSET 1 LIMIT 1) IS NOT NULL
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

PREVIOUS_AUDIT_FUNCTION = r"""
CREATE OR REPLACE FUNCTION accord_audit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    tenant_column text := TG_ARGV[0];
    label_column text := TG_ARGV[1];
    actor text := COALESCE(NULLIF(current_setting('accord.actor', true), ''), 'system:' || session_user);
    request text := NULLIF(current_setting('accord.request_id', true), '');
    labels text := '''{}''::jsonb';
BEGIN
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO audit_entry (id, tenant, actor, action, resource, resource_id, request_id, summary)
        SELECT gen_random_uuid(), c.owner, actor, 'update', TG_TABLE_NAME,
               CASE WHEN count(DISTINCT c.row_id) = 1 THEN min(c.row_id) END, request,
               jsonb_build_object('rows', count(DISTINCT c.row_id), 'changed', jsonb_agg(DISTINCT c.col))
        FROM (
            SELECT (n.j ->> tenant_column)::uuid AS owner, n.j ->> 'id' AS row_id, k.key AS col
            FROM (SELECT to_jsonb(x) AS j FROM new_rows x) n
            JOIN (SELECT to_jsonb(y) AS j FROM old_rows y) o ON o.j -> 'id' = n.j -> 'id'
            CROSS JOIN LATERAL jsonb_each(n.j) AS k
            WHERE k.key NOT IN ('updated_at', 'last_used_at') AND k.value IS DISTINCT FROM o.j -> k.key
        ) c
        WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.id = c.owner)
        GROUP BY c.owner;
        RETURN NULL;
    END IF;
    IF label_column <> '' THEN
        labels := format('jsonb_build_object(''labels'', to_jsonb((array_agg(r.%I::text ORDER BY r.%I))[1:5]))',
                         label_column, label_column);
    END IF;
    -- Only the columns named here are read from the transition table: rows can be large (interaction bodies).
    -- A tenant deleted in this statement (cascading to its rows) takes its log with it: nothing to write.
    EXECUTE format(
        'INSERT INTO audit_entry (id, tenant, actor, action, resource, resource_id, request_id, summary) '
        'SELECT gen_random_uuid(), r.%1$I, $1, $2, $3, CASE WHEN count(*) = 1 THEN min(r.id::text) END, $4, '
        'jsonb_build_object(''rows'', count(*)) || %3$s '
        'FROM %2$I r WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.id = r.%1$I) GROUP BY r.%1$I',
        tenant_column, CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END, labels)
    USING actor, lower(TG_OP), TG_TABLE_NAME, request;
    RETURN NULL;
END $$
"""

PREVIOUS_NEAR_DUPLICATES_FUNCTION = """
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

FORWARDS = [AUDIT_FUNCTION, NEAR_DUPLICATES_FUNCTION]
BACKWARDS = [PREVIOUS_NEAR_DUPLICATES_FUNCTION, PREVIOUS_AUDIT_FUNCTION]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
