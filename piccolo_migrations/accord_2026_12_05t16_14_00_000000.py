import msgspec
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from accord.embeddings.hashing import embed_request, vector_literal

ID = "2026-12-05T16:14:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "embeddings: backfill existing interactions and fixtures, then HNSW (cosine) indexes"

# Apart from the migration that adds the columns: Piccolo runs raw steps before add_column in one migration.
# Backfilled before the indexes are built: building an index once is much cheaper than updating it per row.
_BATCH = 5000
_TABLES = ("interaction", "fixture")


async def _backfill(table: str) -> None:
    engine = engine_finder()
    assert engine is not None
    last = None
    while True:
        # Keyset over the id; vectors go in as text and are cast (this connection may lack the binary codec).
        rows = await engine.run_querystring(
            QueryString(
                f"SELECT id, operation, request::text AS request FROM {table} "  # noqa: S608 - a constant name
                "WHERE embedding IS NULL AND ({}::uuid IS NULL OR id > {}::uuid) ORDER BY id LIMIT {}",
                last,
                last,
                _BATCH,
            )
        )
        if not rows:
            return
        ids = [row["id"] for row in rows]
        vectors = [
            vector_literal(embed_request(row["operation"], msgspec.json.decode(row["request"]))) for row in rows
        ]
        await engine.run_querystring(
            QueryString(
                f"UPDATE {table} SET embedding = t.e::vector FROM unnest({{}}::uuid[], {{}}::text[]) AS t(id, e) "
                f"WHERE {table}.id = t.id",
                ids,
                vectors,
            )
        )
        last = ids[-1]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        engine = engine_finder()
        assert engine is not None
        for table in _TABLES:
            await _backfill(table)
            await engine.run_ddl(
                f"CREATE INDEX IF NOT EXISTS {table}_embedding_hnsw ON {table} "
                "USING hnsw (embedding vector_cosine_ops)"
            )

    async def run_backwards() -> None:
        engine = engine_finder()
        assert engine is not None
        for table in _TABLES:
            await engine.run_ddl(f"DROP INDEX IF EXISTS {table}_embedding_hnsw")

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
