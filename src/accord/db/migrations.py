"""Applying and checking Piccolo migrations (ours and those of the admin's user/session apps)."""

from __future__ import annotations

import contextlib
import functools
import io
import sys

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards

from accord.db.engine import get_engine

# Serialises concurrent `accord migrate` runs (two deploys at once) across processes.
_MIGRATION_LOCK_KEY = 0x0ACC0D


class MigrationFailed(RuntimeError):
    pass


@functools.cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """Every (app, migration id) found in the migration folders of the registered apps."""
    finder = BaseMigrationManager()
    expected: set[tuple[str, str]] = set()
    for module in finder.get_app_modules():
        config = module.APP_CONFIG
        modules = finder.get_migration_modules(config.resolved_migrations_folder_path)
        expected.update((config.app_name, migration_id) for migration_id in modules)
    return frozenset(expected)


async def pending_migrations() -> list[str]:
    """`app:id` of each migration not yet applied, in the order they would run."""
    connection = await get_engine().get_new_connection()
    try:
        exists = await connection.fetchval("SELECT to_regclass('public.migration') IS NOT NULL")
        applied: set[tuple[str, str]] = set()
        if exists:
            rows = await connection.fetch("SELECT app_name, name FROM migration")
            applied = {(row["app_name"], row["name"]) for row in rows}
    finally:
        await connection.close()
    return [f"{app}:{mid}" for app, mid in sorted(expected_migrations() - applied, key=lambda m: m[1])]


async def apply_migrations() -> list[str]:
    """Apply every pending migration, holding an advisory lock; returns what was applied."""
    lock_connection = await get_engine().get_new_connection()
    try:
        await lock_connection.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK_KEY)
        pending = await pending_migrations()
        if pending:
            # Piccolo narrates every step on stdout; keep its words only for when something goes wrong.
            narration = io.StringIO()
            with contextlib.redirect_stdout(narration):
                result = await run_forwards(app_name="all", migration_id="all")
            if not result.success:
                sys.stderr.write(narration.getvalue())
                raise MigrationFailed(result.message or "a migration failed")
        return pending
    finally:
        with contextlib.suppress(Exception):
            await lock_connection.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK_KEY)
        await lock_connection.close()
