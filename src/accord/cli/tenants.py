"""`accord tenants ...`"""

from __future__ import annotations

import click
import msgspec

from accord.cli.runtime import convert_or_fail, load_settings_or_exit, prepare_database, run_async


@click.group()
def tenants() -> None:
    """Create and list tenants."""


_ALLOWED = {
    "slug": "--slug takes 1 to 63 lowercase letters (a-z), digits and hyphens, starting and ending with a letter "
    "or digit, e.g. acme or team-42.",
    "name": "--name takes 1 to 200 characters.",
}


@tenants.command("create")
@click.option("--slug", required=True, help="Short unique identifier, e.g. acme.")
@click.option("--name", required=True, help="Display name, e.g. 'Acme Corp'.")
def create_tenant(slug: str, name: str) -> None:
    """Create a tenant; prints its id on stdout."""
    prepare_database(load_settings_or_exit())
    from accord.tenants.schemas import TenantCreate
    from accord.tenants.service import TenantService

    data = convert_or_fail({"slug": slug, "name": name}, TenantCreate, _ALLOWED)
    tenant = run_async(TenantService().create, data)
    click.echo(str(tenant.id))
    click.echo(f"created tenant {tenant.slug} ({tenant.name})", err=True)


@tenants.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_tenants(as_json: bool) -> None:
    """List every tenant."""
    prepare_database(load_settings_or_exit())
    from accord.tenants.service import TenantService

    rows = run_async(TenantService().list)
    if as_json:
        click.echo(msgspec.json.encode(rows).decode())
        return
    for tenant in rows:
        click.echo(f"{tenant.slug}\t{tenant.name}\t{tenant.id}\t{tenant.created_at.isoformat()}")
