"""The `accord` command."""

from __future__ import annotations

import getpass
import os
import sys

import click

from accord import __version__
from accord.cli.admin import admin
from accord.cli.clean import clean
from accord.cli.keys import keys
from accord.cli.runtime import info, load_settings_or_exit, prepare_database, run_async
from accord.cli.serve import serve
from accord.cli.tenants import tenants
from accord.cli.users import users
from accord.db.row_security import act_as


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container user with no name: the log still says it came from the CLI
        return str(os.getuid())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="accord")
def cli() -> None:
    """Accord, the contract-testing broker. Exit codes: 0 ok, 1 failed, 2 bad usage or configuration."""
    # The audit log names the operating-system user behind each command's writes.
    act_as(f"cli:{_os_user()}")


# Each command's short_help is what `accord --help` lists: short enough for an 80-column terminal, where
# click would otherwise cut the docstring's first sentence off with "...".
@cli.command(short_help="Apply pending database migrations.")
def migrate() -> None:
    """Apply every pending database migration (safe to repeat, safe to run concurrently)."""
    prepare_database(load_settings_or_exit(), migrations="apply")
    info("database schema is up to date")
    from accord.db.app_role_check import app_role_problems

    for problem in run_async(app_role_problems):
        info(f"warning: {problem}")


@cli.command(short_help="Create the demo tenant and key; optionally a generated history.")
@click.option(
    "--size",
    type=click.Choice(["small", "medium", "large"]),
    default=None,
    help="Also fill the tenant with a generated broker history (large: 200 services, 20,000 versions, "
    "2,000 contracts, 200,000 interactions, 50,000 verification results). Deterministic and resumable.",
)
@click.option("--tenant", "slug", default=None, help="Fill this existing tenant instead of the demo tenant.")
def demo(size: str | None, slug: str | None) -> None:
    """Create the demo tenant and its key if absent; prints the key on stdout when it is new."""
    prepare_database(load_settings_or_exit())
    from accord.demo.service import DemoService

    if slug is None:
        credentials = run_async(DemoService().ensure, False)
        slug = credentials.tenant
        if credentials.api_key:
            click.echo(credentials.api_key)
            info(f"created tenant '{credentials.tenant}' and its API key (shown once)")
        else:
            info(f"tenant '{credentials.tenant}' already exists; issue another key with `accord keys create`")
    if size is not None:
        run_async(_generate_history, slug, size)


async def _generate_history(slug: str, size_name: str) -> None:
    import time

    from accord.demo.history import HistoryGenerator
    from accord.demo.sizes import SIZES
    from accord.tenants.service import TenantService

    size = SIZES[size_name]
    generator = HistoryGenerator(await TenantService().resolve_slug(slug))
    steps = generator.steps(size)
    started = time.monotonic()
    with click.progressbar(length=len(steps), label=f"{size.name} history for {slug}", file=sys.stderr) as bar:

        def advance(label: str) -> None:
            bar.label = f"{size.name} history for {slug}: {label} done"
            bar.update(1)

        await generator.generate(size, advance)
    info(f"{size.name} history ready in {time.monotonic() - started:.1f} s")


@cli.command(
    short_help="Run Piccolo's CLI against Accord's database.",
    context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
)
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
cli.add_command(users)
cli.add_command(clean)


def main() -> None:
    cli()
