from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-05T21:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "request_vector.indexed: ingest leaves new vectors out of the HNSW graph until the indexer adds them"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    manager.add_column(
        table_class_name="RequestVector",
        tablename="request_vector",
        column_name="indexed",
        db_column_name="indexed",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": True,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
