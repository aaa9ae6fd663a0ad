from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T21:21:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "request vectors: the HNSW index holds the indexed ones; the others are found by an exact scan"

# Apart from the migration that adds `indexed`: Piccolo runs raw steps before add_column in one migration.
# Every existing vector is indexed (the column's default), so the partial index is the same graph rebuilt.
FORWARDS = [
    "DROP INDEX IF EXISTS request_vector_embedding_hnsw",
    "CREATE INDEX IF NOT EXISTS request_vector_embedding_hnsw ON request_vector "
    "USING hnsw (embedding vector_cosine_ops) WHERE indexed",
    # The vectors waiting for the indexer, per tenant and operation (searches scan them exactly).
    "CREATE INDEX IF NOT EXISTS request_vector_unindexed ON request_vector (tenant, operation) WHERE NOT indexed",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS request_vector_unindexed",
    "DROP INDEX IF EXISTS request_vector_embedding_hnsw",
    "CREATE INDEX IF NOT EXISTS request_vector_embedding_hnsw ON request_vector "
    "USING hnsw (embedding vector_cosine_ops)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in FORWARDS:
            await engine.run_ddl(statement)

    async def run_backwards() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("UPDATE request_vector SET indexed = true WHERE NOT indexed")
        for statement in BACKWARDS:
            await engine.run_ddl(statement)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
