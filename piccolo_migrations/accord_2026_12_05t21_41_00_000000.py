from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T21:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "service labels: the lookup of a tenant's services by label"

# Apart from the migration that adds the table: Piccolo runs raw steps before add_table in one migration.
# Webhook fan-out and matrix ignore ask "has this service the label?"; GET /pacticipants/label/{label} asks
# "which services have it?". The unique constraint (tenant, service, name) serves the first, this the second.
FORWARDS = ["CREATE INDEX IF NOT EXISTS service_label_tenant_name ON service_label (tenant, name)"]
BACKWARDS = ["DROP INDEX IF EXISTS service_label_tenant_name"]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
