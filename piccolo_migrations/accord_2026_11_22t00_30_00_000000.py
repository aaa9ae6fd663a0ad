from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-22T00:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "pgvector extension"


async def create_vector_extension() -> None:
    engine = engine_finder()
    assert engine is not None
    # run_ddl joins the migration's transaction, so a failure leaves nothing half-applied.
    await engine.run_ddl("CREATE EXTENSION IF NOT EXISTS vector")


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)
    manager.add_raw(create_vector_extension)
    return manager
