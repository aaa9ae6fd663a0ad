"""The `accord` command."""

from __future__ import annotations

import os
import sys

import click

from accord import __version__
from accord.cli.admin import admin
from accord.cli.keys import keys
from accord.cli.runtime import info, load_settings_or_exit, prepare_database, run_async
from accord.cli.serve import serve
from accord.cli.tenants import tenants


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
def cli() -> None:
    """Accord, the contract-testing broker. Exit codes: 0 ok, 1 failed, 2 bad usage or configuration."""


@cli.command()
def migrate() -> None:
    """Apply every pending database migration (safe to repeat, safe to run concurrently)."""
    prepare_database(load_settings_or_exit(), migrations="apply")
    info("database schema is up to date")


@cli.command()
def demo() -> None:
    """Create the demo tenant and its key if absent; prints the key on stdout when it is new."""
    prepare_database(load_settings_or_exit())
    from accord.demo.service import DemoService

    credentials = run_async(DemoService().ensure, False)
    if credentials.api_key:
        click.echo(credentials.api_key)
        info(f"created tenant '{credentials.tenant}' and its API key (shown once)")
    else:
        info(f"tenant '{credentials.tenant}' already exists; issue another key with `accord keys create`")


@cli.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def piccolo(args: tuple[str, ...]) -> None:
    """Run Piccolo's CLI against Accord's database (e.g. `accord piccolo migrations new accord --auto`)."""
    prepare_database(load_settings_or_exit(), migrations="skip")
    from piccolo.main import main as piccolo_main

    sys.argv = ["piccolo", *args]
    os.environ.setdefault("PICCOLO_CONF", "piccolo_conf")
    piccolo_main()


cli.add_command(serve)
cli.add_command(tenants)
cli.add_command(keys)
cli.add_command(admin)


def main() -> None:
    cli()
