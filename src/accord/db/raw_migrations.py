"""The one shape of Accord's hand-written migrations: lists of SQL statements run in order, forwards and back."""

from __future__ import annotations

from collections.abc import Sequence

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder


async def _run(statements: Sequence[str]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


def raw_sql_migration(
    migration_id: str, description: str, forwards: Sequence[str], backwards: Sequence[str]
) -> MigrationManager:
    """A migration manager running `forwards` (and, rolled back, `backwards`) one statement at a time."""
    manager = MigrationManager(migration_id=migration_id, app_name="accord", description=description)

    async def run_forwards() -> None:
        await _run(forwards)

    async def run_backwards() -> None:
        await _run(backwards)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
