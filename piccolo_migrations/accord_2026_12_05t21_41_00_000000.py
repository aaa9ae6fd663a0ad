from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T21:41:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "service labels: the lookup of a tenant's services by label"

# Apart from the migration that adds the table: Piccolo runs raw steps before add_table in one migration.
# Webhook fan-out and matrix ignore ask "has this service the label?"; GET /pacticipants/label/{label} asks
# "which services have it?". The unique constraint (tenant, service, name) serves the first, this the second.
FORWARDS = ["CREATE INDEX IF NOT EXISTS service_label_tenant_name ON service_label (tenant, name)"]
BACKWARDS = ["DROP INDEX IF EXISTS service_label_tenant_name"]


async def _run(statements: list[str]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        await _run(FORWARDS)

    async def run_backwards() -> None:
        await _run(BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
