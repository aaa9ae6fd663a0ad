from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T00:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "row security and audit for the tables added beside them: service labels, idempotency keys"

# The row-security migration (21:30) covered the tenant tables that existed then; the labels (21:40) and the
# idempotency keys (21:50) were added on other branches at the same time. Labels are a user's write and are
# audited; idempotency keys are Accord's own bookkeeping of a request that is itself audited.
_LABEL_TRIGGER_ARGS = "'tenant', 'name'"

FORWARDS = [
    "SELECT accord_enable_tenant_rls('service_label')",
    "SELECT accord_enable_tenant_rls('idempotency_key')",
    "CREATE OR REPLACE TRIGGER service_label_audit_insert AFTER INSERT ON service_label "
    f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({_LABEL_TRIGGER_ARGS})",
    "CREATE OR REPLACE TRIGGER service_label_audit_update AFTER UPDATE ON service_label "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    f"FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({_LABEL_TRIGGER_ARGS})",
    "CREATE OR REPLACE TRIGGER service_label_audit_delete AFTER DELETE ON service_label "
    f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({_LABEL_TRIGGER_ARGS})",
]

BACKWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS service_label_audit_{action} ON service_label"
        for action in ("insert", "update", "delete")
    ),
    *(
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}; ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"
        for table in ("service_label", "idempotency_key")
    ),
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
