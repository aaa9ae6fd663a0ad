from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T07:50:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit: one trigger function per table for inserts and deletes, with static SQL PostgreSQL plans once"

# accord_audit() (migration 21:36) serves every table through TG_ARGV, so it builds its INSERT with format() and
# EXECUTE, which PostgreSQL plans anew on every statement: 0.4-0.5 ms, a quarter of the insert of a batch of 10
# interactions. A function per table names its columns in static SQL, and PL/pgSQL keeps that plan. Entries are
# the same as before (test_audit.py); updates keep the shared function (they compare whole rows as JSON anyway).
AUDITED = {
    # table: (tenant column, label column or ""), as in migrations 21:36 and 00:10
    "tenant": ("id", "slug"),
    "api_key": ("tenant", "name"),
    "badge_token": ("tenant", ""),
    "membership": ("tenant", "role"),
    "invitation": ("tenant", "email"),
    "service": ("tenant", "name"),
    "service_version": ("tenant", "number"),
    "branch": ("tenant", "name"),
    "branch_version": ("tenant", ""),
    "tag": ("tenant", "name"),
    "environment": ("tenant", "name"),
    "deployment": ("tenant", ""),
    "release": ("tenant", ""),
    "spec": ("tenant", ""),
    "interaction": ("tenant", "operation"),
    "contract_publication": ("tenant", ""),
    "verification_result": ("tenant", ""),
    "fixture": ("tenant", "operation"),
    "fixture_version": ("tenant", ""),
    "webhook": ("tenant", "description"),
    "service_label": ("tenant", "name"),
}


def _entries(table: str, tenant: str, label: str, rows: str, action: str) -> str:
    """The INSERT of a statement's audit entries: one per tenant, its row count and first labels."""
    labels = (
        f" || jsonb_build_object('labels', to_jsonb((array_agg(r.{label}::text ORDER BY r.{label}))[1:5]))"
        if label
        else ""
    )
    # Table and column names come from AUDITED above, never from input.
    return (
        "INSERT INTO audit_entry (id, tenant, actor, action, resource, resource_id, request_id, summary) "  # noqa: S608
        f"SELECT gen_random_uuid(), r.{tenant}, v_actor, '{action}', '{table}', "
        "CASE WHEN count(*) = 1 THEN min(r.id::text) END, v_request, "
        f"jsonb_build_object('rows', count(*)){labels} "
        # A tenant deleted in this statement (cascading to its rows) takes its log with it: nothing to write.
        f"FROM {rows} r WHERE EXISTS (SELECT 1 FROM tenant t WHERE t.id = r.{tenant}) GROUP BY r.{tenant};"
    )


def _function(table: str, tenant: str, label: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION accord_audit_{table}() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_actor text := COALESCE(NULLIF(current_setting('accord.actor', true), ''), 'system:' || session_user);
    v_request text := NULLIF(current_setting('accord.request_id', true), '');
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_entries(table, tenant, label, "new_rows", "insert")}
    ELSE
        {_entries(table, tenant, label, "old_rows", "delete")}
    END IF;
    RETURN NULL;
END $$
"""


def _triggers(table: str, function: str, args: str) -> list[str]:
    return [
        f"CREATE OR REPLACE TRIGGER {table}_audit_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({args})",
        f"CREATE OR REPLACE TRIGGER {table}_audit_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {function}({args})",
    ]


FORWARDS = [
    statement
    for table, (tenant, label) in AUDITED.items()
    for statement in (_function(table, tenant, label), *_triggers(table, f"accord_audit_{table}", ""))
]
BACKWARDS = [
    statement
    for table, (tenant, label) in AUDITED.items()
    for statement in (
        *_triggers(table, "accord_audit", f"'{tenant}', '{label}'"),
        f"DROP FUNCTION IF EXISTS accord_audit_{table}()",
    )
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
