from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-06T05:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "request vectors' HNSW graph built with ef_construction 32 (was pgvector's 64): cheaper insertions"

# The background indexer pays one graph insertion per distinct request vector, and CI traffic's vectors are nearly
# all distinct. `python -m bench hnsw_params` (BENCHMARKS.md, issue 19): ef_construction 32 kept recall@10 (0.990
# against 0.989 with 64, m 16 both) with cheaper builds and insertions; m 8 cost recall, halfvec(256) made the exact
# scan of waiting vectors slower. The graph is rebuilt from the rows: no data changes. The index stays partial.
FORWARDS = [
    "DROP INDEX IF EXISTS request_vector_embedding_hnsw",
    "CREATE INDEX request_vector_embedding_hnsw ON request_vector "
    "USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 32) WHERE indexed",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS request_vector_embedding_hnsw",
    "CREATE INDEX request_vector_embedding_hnsw ON request_vector USING hnsw (embedding vector_cosine_ops) WHERE indexed",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
