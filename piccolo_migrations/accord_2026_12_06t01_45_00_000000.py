from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T01:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "queue figures for GET /metrics: a definer function counting every tenant's queued work"

# /metrics reports how much background work waits, across tenants. Row security shows the application role one
# tenant's rows at a time, so, like the queues' claims (21:30), this goes through a SECURITY DEFINER function
# that returns only counts and ages: nothing that names a tenant or a row.
_SIGNATURE = "accord_queue_stats()"

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION {_SIGNATURE}
    RETURNS TABLE (queue text, depth bigint, oldest_seconds double precision)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp STABLE AS $$
    SELECT 'static_checks', count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
    FROM static_check WHERE status IN ('pending', 'running')
    UNION ALL
    SELECT 'webhook_deliveries', count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8
    FROM webhook_delivery WHERE status IN ('pending', 'running')
    $$
    """,
    f"REVOKE ALL ON FUNCTION {_SIGNATURE} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {_SIGNATURE} TO accord_app",
]

BACKWARDS = [f"DROP FUNCTION IF EXISTS {_SIGNATURE}"]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
