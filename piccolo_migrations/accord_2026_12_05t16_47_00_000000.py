import msgspec
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder
from piccolo.querystring import QueryString

from accord.embeddings.hashing import embed_request, vector_key, vector_literal

ID = "2026-12-05T16:47:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "embeddings: backfill request vectors of interactions and fixtures, then their indexes"

# Apart from the migration that adds the columns: Piccolo runs raw steps before add_table/add_column in one
# migration. Backfilled before the indexes are built: building an index once is cheaper than row by row.
_BATCH = 5000
INDEXES = [
    "CREATE INDEX IF NOT EXISTS request_vector_embedding_hnsw ON request_vector "
    "USING hnsw (embedding vector_cosine_ops)",
    "CREATE INDEX IF NOT EXISTS fixture_embedding_hnsw ON fixture USING hnsw (embedding vector_cosine_ops)",
    # Expands a request vector to its interactions in id order (search, the mock's recorded answers).
    "CREATE INDEX IF NOT EXISTS interaction_vector_key ON interaction (tenant, vector_key, id)",
]


async def _rows(table: str, missing: str, last: object) -> list[dict[str, object]]:
    engine = engine_finder()
    assert engine is not None
    columns = "id, tenant, provider, operation, request::text AS request"
    return await engine.run_querystring(  # type: ignore[no-any-return]
        QueryString(
            f"SELECT {columns} FROM {table} WHERE {missing} IS NULL "  # noqa: S608 - constant names
            "AND ({}::uuid IS NULL OR id > {}::uuid) ORDER BY id LIMIT {}",
            last,
            last,
            _BATCH,
        )
    )


async def backfill_interactions() -> None:
    """Each interaction's vector into request_vector (once per tenant and vector), its key on the row;
    vectors go in as text and are cast (this connection may lack the binary codec)."""
    engine = engine_finder()
    assert engine is not None
    last = None
    while rows := await _rows("interaction", "vector_key", last):
        literals = [vector_literal(embed_request(r["operation"], msgspec.json.decode(r["request"]))) for r in rows]
        keys = [vector_key(literal) for literal in literals]
        await engine.run_querystring(
            QueryString(
                "INSERT INTO request_vector (tenant, operation, key, embedding) "
                "SELECT DISTINCT ON (t.tn, t.k) t.tn, t.o, t.k, t.e::vector "
                "FROM unnest({}::uuid[], {}::text[], {}::text[], {}::text[]) AS t(tn, o, k, e) "
                "ON CONFLICT (tenant, key) DO NOTHING",
                [r["tenant"] for r in rows],
                [r["operation"] for r in rows],
                keys,
                literals,
            )
        )
        await engine.run_querystring(
            QueryString(
                "UPDATE interaction SET vector_key = t.k FROM unnest({}::uuid[], {}::text[]) AS t(id, k) "
                "WHERE interaction.id = t.id",
                [r["id"] for r in rows],
                keys,
            )
        )
        last = rows[-1]["id"]


async def backfill_fixtures() -> None:
    engine = engine_finder()
    assert engine is not None
    last = None
    while rows := await _rows("fixture", "embedding", last):
        literals = [vector_literal(embed_request(r["operation"], msgspec.json.decode(r["request"]))) for r in rows]
        await engine.run_querystring(
            QueryString(
                "UPDATE fixture SET embedding = t.e::vector FROM unnest({}::uuid[], {}::text[]) AS t(id, e) "
                "WHERE fixture.id = t.id",
                [r["id"] for r in rows],
                literals,
            )
        )
        last = rows[-1]["id"]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        engine = engine_finder()
        assert engine is not None
        await backfill_interactions()
        await backfill_fixtures()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    async def run_backwards() -> None:
        engine = engine_finder()
        assert engine is not None
        for name in ("interaction_vector_key", "fixture_embedding_hnsw", "request_vector_embedding_hnsw"):
            await engine.run_ddl(f"DROP INDEX IF EXISTS {name}")

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
