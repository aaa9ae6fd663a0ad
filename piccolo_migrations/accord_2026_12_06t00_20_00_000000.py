from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "row security for the vector indexer: a definer function that indexes every tenant's waiting vectors"

# The background VectorIndexer (accord.similarity.indexer) serves every tenant, but the application role sees
# one tenant's rows at a time (migration 21:30). Like the queues' claim functions there, this one does a single
# narrow thing as the owner: it flips `indexed` on up to p_limit waiting request vectors (the partial HNSW index
# then covers their new row versions) and returns only how many. Nothing of any tenant is read back.
# request_vector already has the tenant policy (21:30); the 21:20-21:22 migrations added a column, indexes and
# accord_near_duplicates, an invoker's function that row security confines to the tenant being served.
SIGNATURE = "accord_index_waiting_vectors(p_limit integer)"

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION {SIGNATURE} RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH flipped AS (
        UPDATE request_vector SET indexed = true WHERE id IN (
            SELECT id FROM request_vector WHERE NOT indexed LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING 1
    ) SELECT count(*)::integer FROM flipped
    $$
    """,
    f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO accord_app",
]

BACKWARDS = [f"DROP FUNCTION IF EXISTS {SIGNATURE}"]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
