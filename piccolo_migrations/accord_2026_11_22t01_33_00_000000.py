from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-11-22T01:33:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "static checks: queue indexes and the triggers that enqueue them"

# Every (contract content, spec content) pair that coexists for a provider gets checked once: a new content
# published to a provider is queued against each distinct spec of that provider, a new spec against each
# distinct content published to it. Triggers do it in the writing transaction, whichever path wrote (native
# API, Pact API, admin), and wake the workers with NOTIFY at commit. The checks themselves run in the background.
FORWARDS = [
    "CREATE INDEX IF NOT EXISTS static_check_queue ON static_check (status, created_at) "
    "WHERE status IN ('pending', 'running')",
    "CREATE INDEX IF NOT EXISTS static_check_by_content ON static_check (tenant, content, spec_sha)",
    "CREATE INDEX IF NOT EXISTS static_check_by_time ON static_check (tenant, created_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS spec_by_sha ON spec (tenant, content_sha)",
    """
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_publication() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, NEW.content, sp.content_sha FROM spec sp
        WHERE sp.tenant = NEW.tenant AND sp.service = NEW.provider
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_spec() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, p.content, NEW.content_sha FROM contract_publication p
        WHERE p.tenant = NEW.tenant AND p.provider = NEW.service
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER contract_publication_queue_checks "
    "AFTER INSERT OR UPDATE OF content ON contract_publication "
    "FOR EACH ROW EXECUTE FUNCTION accord_queue_checks_for_publication()",
    "CREATE OR REPLACE TRIGGER spec_queue_checks AFTER INSERT OR UPDATE OF content_sha ON spec "
    "FOR EACH ROW EXECUTE FUNCTION accord_queue_checks_for_spec()",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS spec_queue_checks ON spec",
    "DROP TRIGGER IF EXISTS contract_publication_queue_checks ON contract_publication",
    "DROP FUNCTION IF EXISTS accord_queue_checks_for_spec()",
    "DROP FUNCTION IF EXISTS accord_queue_checks_for_publication()",
    "DROP INDEX IF EXISTS spec_by_sha",
    "DROP INDEX IF EXISTS static_check_by_time",
    "DROP INDEX IF EXISTS static_check_by_content",
    "DROP INDEX IF EXISTS static_check_queue",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
