"""`accord users ...`: dashboard users and their roles in a tenant."""

from __future__ import annotations

import sys

import click
import msgspec

from accord.cli.runtime import (
    EXIT_USAGE,
    convert_or_fail,
    fail,
    info,
    load_settings_or_exit,
    prepare_database,
    run_async,
)

_ROLES = ["owner", "admin", "member", "viewer"]
_ALLOWED = {
    "email": "--email takes an email address, e.g. ana@example.com.",
    "display_name": "--display-name takes 1 to 200 characters, not starting or ending with a space.",
    "password": "the password (read from stdin) needs 10 to 1024 characters.",
}


@click.group(short_help="Dashboard users and their roles in tenants.")
def users() -> None:
    """Dashboard users: create them with a role in a tenant, list a tenant's members."""


def _read_password() -> str:
    """The first line of stdin (a pipe or a prompt); never an option, so it stays out of shell history."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))
    line = sys.stdin.readline()
    return line.removesuffix("\n").removesuffix("\r")


@users.command("create", short_help="Create a user (password on stdin) with a role.")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--email", required=True, help="Login email.")
@click.option("--role", type=click.Choice(_ROLES), required=True, help="owner, admin, member or viewer.")
@click.option("--display-name", default=None, help="Name shown in the dashboard (default: from the email).")
def create_user(slug: str, email: str, role: str, display_name: str | None) -> None:
    """Create a user and make them a member of the tenant; prints the user's id.

    The password is read from the first line of stdin (pipe it in), or prompted for at a terminal.
    An existing user (same email) is added to the tenant with their password unchanged.
    """
    prepare_database(load_settings_or_exit())
    from accord.accounts.membership_repository import MembershipRepository
    from accord.accounts.roles import Role
    from accord.accounts.schemas import UserCreate
    from accord.accounts.service import AccountService, MemberService
    from accord.tenants.service import TenantService

    async def create() -> tuple[str, bool]:
        tenant_id = await TenantService().resolve_slug(slug)
        accounts = AccountService()
        user_id = await accounts.user_id_of(email)
        created = user_id is None
        if user_id is None:
            values = {
                "email": email.strip(),
                "display_name": display_name or email.split("@")[0],
                "password": _read_password(),
            }
            user_id = await accounts.create_user(convert_or_fail(values, UserCreate, _ALLOWED))
        await MemberService(MembershipRepository(tenant_id)).add(user_id, Role(role))
        return str(user_id), created

    if "@" not in email:
        fail(_ALLOWED["email"], EXIT_USAGE)
    user_id, created = run_async(create)
    click.echo(user_id)
    info(
        f"{'created user' if created else 'existing user'} {email.strip().lower()} is now {role} of tenant {slug}"
        + ("" if created else " (password unchanged)")
    )


@users.command("list", short_help="List a tenant's members and their roles.")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_users(slug: str, as_json: bool) -> None:
    """List a tenant's members: id, email, role, name (tab-separated), or JSON."""
    prepare_database(load_settings_or_exit())
    from accord.accounts.membership_repository import MembershipRepository
    from accord.accounts.service import MemberService
    from accord.tenants.service import TenantService

    async def collect():  # type: ignore[no-untyped-def]
        return await MemberService(MembershipRepository(await TenantService().resolve_slug(slug))).list()

    members = run_async(collect)
    if as_json:
        click.echo(msgspec.json.encode(members).decode())
        return
    for member in members:
        click.echo(f"{member.user_id}\t{member.email}\t{member.role}\t{member.display_name}")
