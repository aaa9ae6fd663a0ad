"""The schema is built only by migrations, and they match the table classes."""

from __future__ import annotations

import pytest

from accord.db.migrations import apply_migrations, expected_migrations, pending_migrations


@pytest.mark.anyio
async def test_migrating_again_is_a_no_op() -> None:
    assert await pending_migrations() == []
    assert await apply_migrations() == []


@pytest.mark.anyio
async def test_tables_and_migrations_do_not_drift() -> None:
    """An auto migration generated now would be empty; else a table changed without its migration."""
    from piccolo.apps.migrations.commands.new import AutoMigrationManager
    from piccolo.conf.apps import Finder

    app_config = Finder().get_app_config("accord")
    statements = await AutoMigrationManager().get_alter_statements(app_config=app_config)
    changes = [line for statement in statements for line in statement.statements]
    assert changes == [], "run `make makemigrations` and review the new migration"


def test_every_registered_app_has_migrations() -> None:
    apps = {app for app, _ in expected_migrations()}
    assert apps == {"accord", "user", "session_auth"}


@pytest.mark.anyio
async def test_the_first_migration_installed_pgvector() -> None:
    from accord.db.engine import get_engine

    connection = await get_engine().get_new_connection()
    try:
        assert await connection.fetchval("SELECT extname FROM pg_extension WHERE extname = 'vector'") == "vector"
        indexes = {
            row["indexname"]
            for row in await connection.fetch("SELECT indexname FROM pg_indexes WHERE tablename = 'api_key'")
        }
    finally:
        await connection.close()
    assert "api_key_tenant_name_active" in indexes
