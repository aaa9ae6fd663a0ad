from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T21:36:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit: triggers that log every write to a tenant's data, in the writing transaction"

# Triggers, not application code: every path that writes (native API, Pact API, piccolo admin, the CLI, psql as
# the application role) is logged, in the transaction of the change, so a rolled-back write leaves no entry.
# Who wrote and in which request come from settings the engine sets with the tenant (accord.db.row_security):
# `accord.actor` (key:<id>, user:<id>, admin, cli:<os user>) and `accord.request_id`; without them the entry
# names the database role ("system:<role>").
#
# One entry per statement and tenant, from the statement's transition table: an ingest batch of 5,000
# interactions is one entry with its row count, so logging costs one INSERT ... SELECT per statement, not one
# per row. Summaries hold counts, labels (names, numbers, emails) and changed column names, never values, so no
# secret or hash reaches the log. Queue bookkeeping (events, deliveries, checks, pending marks, vectors, content
# rows derived from interactions) is not audited: it is written by Accord itself as a consequence of an audited
# write. Updates that only touch updated_at/last_used_at (a key's use) are not logged.
AUDITED = {
    # table: (tenant column, label column or "")
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
}

_FUNCTION = r"""
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


def _triggers(table: str, tenant_column: str, label_column: str) -> list[str]:
    args = f"'{tenant_column}', '{label_column}'"
    return [
        f"CREATE OR REPLACE TRIGGER {table}_audit_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({args})",
        f"CREATE OR REPLACE TRIGGER {table}_audit_update AFTER UPDATE ON {table} "
        f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({args})",
        f"CREATE OR REPLACE TRIGGER {table}_audit_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
        f"FOR EACH STATEMENT EXECUTE FUNCTION accord_audit({args})",
    ]


FORWARDS = [
    "SELECT accord_enable_tenant_rls('audit_entry')",
    # The log is append-only for the application: it reads its tenant's entries and writes none itself.
    "REVOKE INSERT, UPDATE, DELETE ON audit_entry FROM accord_app",
    "CREATE INDEX IF NOT EXISTS audit_entry_by_tenant ON audit_entry (tenant, position DESC)",
    _FUNCTION,
    "REVOKE ALL ON FUNCTION accord_audit() FROM PUBLIC",
    *(statement for table, (tenant, label) in AUDITED.items() for statement in _triggers(table, tenant, label)),
]

BACKWARDS = [
    *(
        f"DROP TRIGGER IF EXISTS {table}_audit_{action} ON {table}"
        for table in AUDITED
        for action in ("insert", "update", "delete")
    ),
    "DROP FUNCTION IF EXISTS accord_audit()",
    "DROP INDEX IF EXISTS audit_entry_by_tenant",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
