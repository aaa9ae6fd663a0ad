from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T05:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "vector indexer: one tenant a round, after its burst or first past the backlog cap; ingest never indexes"

# Ingest now always stores new request vectors waiting (issue 19): an HNSW insertion on the request path bounded
# CI ingest near 1,000-2,000 distinct vectors/s. The indexer's definer function (00:20) chooses the tenant to serve:
# one with more than p_cap vectors waiting first, else one whose newest waiting vector is p_quiet_seconds old (its
# burst is over). The new partial index gives each tenant's newest waiting vector without reading its backlog's
# rows; the (tenant, operation) one of 21:21 stays for the near-duplicate scans. No data changes.
OLD_SIGNATURE = "accord_index_waiting_vectors(p_limit integer)"
SIGNATURE = "accord_index_waiting_vectors(p_limit integer, p_cap integer, p_quiet_seconds double precision)"

FORWARDS = [
    "CREATE INDEX IF NOT EXISTS request_vector_waiting_since ON request_vector (tenant, created_at) WHERE NOT indexed",
    f"DROP FUNCTION IF EXISTS {OLD_SIGNATURE}",
    f"""
    CREATE OR REPLACE FUNCTION {SIGNATURE} RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH backlog AS (
        SELECT tenant, count(*) > p_cap AS over_cap, max(created_at) AS newest
        FROM request_vector WHERE NOT indexed GROUP BY tenant
    ), chosen AS (
        SELECT tenant FROM backlog
        WHERE over_cap OR newest <= now() - make_interval(secs => p_quiet_seconds)
        ORDER BY over_cap DESC, newest LIMIT 1
    ), flipped AS (
        UPDATE request_vector SET indexed = true WHERE id IN (
            SELECT rv.id FROM request_vector rv
            WHERE rv.tenant = (SELECT tenant FROM chosen) AND NOT rv.indexed
            LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING 1
    ) SELECT count(*)::integer FROM flipped
    $$
    """,  # noqa: S608 - the signature is a constant
    f"REVOKE ALL ON FUNCTION {SIGNATURE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {SIGNATURE} TO accord_app",
]

BACKWARDS = [
    f"DROP FUNCTION IF EXISTS {SIGNATURE}",
    f"""
    CREATE OR REPLACE FUNCTION {OLD_SIGNATURE} RETURNS integer
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH flipped AS (
        UPDATE request_vector SET indexed = true WHERE id IN (
            SELECT id FROM request_vector WHERE NOT indexed LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING 1
    ) SELECT count(*)::integer FROM flipped
    $$
    """,  # noqa: S608 - the signature is a constant
    f"REVOKE ALL ON FUNCTION {OLD_SIGNATURE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {OLD_SIGNATURE} TO accord_app",
    "DROP INDEX IF EXISTS request_vector_waiting_since",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
