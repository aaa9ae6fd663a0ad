"""`accord admin ...`"""

from __future__ import annotations

import click

from accord.cli.runtime import load_settings_or_exit, prepare_database, run_async


@click.group()
def admin() -> None:
    """Operator accounts for the /admin site."""


@admin.command("create-user", short_help="Create an admin user; prints its id.")
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--password", required=True, help="At least 6 characters (Piccolo's rule).")
def create_user(username: str, email: str, password: str) -> None:
    """Create an active superuser for /admin; prints its id on stdout."""
    prepare_database(load_settings_or_exit())
    from accord.admin.users import AdminUserService

    async def create() -> int:
        return await AdminUserService().create(username=username, email=email, password=password)

    user_id = run_async(create)
    click.echo(str(user_id))
    click.echo(f"created admin user {username}", err=True)
