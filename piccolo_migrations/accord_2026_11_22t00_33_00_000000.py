from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-11-22T00:33:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "api key constraints and change notifications"

# Any change to a key or tenant, from any path (API, admin, SQL console), tells every Accord process to drop
# its cached copy; NOTIFY is delivered at commit, so nobody re-reads the old state.
FORWARDS = [
    "CREATE UNIQUE INDEX IF NOT EXISTS api_key_tenant_name_active ON api_key (tenant, name) WHERE revoked_at IS NULL",
    """
    CREATE OR REPLACE FUNCTION accord_notify_api_key_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('accord_api_keys', OLD.key_hash);
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION accord_notify_tenant_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('accord_api_keys', '*');
        RETURN NULL;
    END $$
    """,
    # Not on last_used_at: recording use must not evict the key everywhere once a minute.
    "CREATE OR REPLACE TRIGGER api_key_changed "
    "AFTER UPDATE OF name, scopes, expires_at, revoked_at, key_hash, tenant OR DELETE ON api_key "
    "FOR EACH ROW EXECUTE FUNCTION accord_notify_api_key_change()",
    "CREATE OR REPLACE TRIGGER tenant_changed AFTER UPDATE OF slug, name OR DELETE ON tenant "
    "FOR EACH STATEMENT EXECUTE FUNCTION accord_notify_tenant_change()",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS tenant_changed ON tenant",
    "DROP TRIGGER IF EXISTS api_key_changed ON api_key",
    "DROP FUNCTION IF EXISTS accord_notify_tenant_change()",
    "DROP FUNCTION IF EXISTS accord_notify_api_key_change()",
    "DROP INDEX IF EXISTS api_key_tenant_name_active",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
