from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T05:07:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "webhook deliveries by event: for removing old events (accord clean) without scanning every delivery"

# `accord clean` removes old events with their finished deliveries: finding an event's deliveries (and the
# foreign key's cascade, which runs per removed event) needs this index, else each is a scan of the table.
FORWARDS = ["CREATE INDEX IF NOT EXISTS webhook_delivery_by_event ON webhook_delivery (event)"]

BACKWARDS = ["DROP INDEX IF EXISTS webhook_delivery_by_event"]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
