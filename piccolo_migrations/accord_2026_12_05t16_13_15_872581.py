from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.indexes import IndexMethod
from tables.base import Vector

ID = "2026-12-05T16:13:15:872581"
VERSION = "1.38.0"
DESCRIPTION = "interactions and fixtures: embedding column (feature-hashed request)"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="accord", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Interaction",
        tablename="interaction",
        column_name="embedding",
        db_column_name="embedding",
        column_class_name="Vector",
        column_class=Vector,
        params={
            "dimensions": 256,
            "null": True,
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

    manager.add_column(
        table_class_name="Fixture",
        tablename="fixture",
        column_name="embedding",
        db_column_name="embedding",
        column_class_name="Vector",
        column_class=Vector,
        params={
            "dimensions": 256,
            "null": True,
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
