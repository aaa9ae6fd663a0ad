"""`accord keys ...`"""

from __future__ import annotations

import datetime
from uuid import UUID

import click
import msgspec

from accord.cli.runtime import (
    EXIT_USAGE,
    convert_or_fail,
    fail,
    load_settings_or_exit,
    prepare_database,
    run_async,
)


@click.group()
def keys() -> None:
    """Issue, list and revoke a tenant's API keys."""


async def _service_for(slug: str):  # type: ignore[no-untyped-def]
    from accord.api_keys.repository import ApiKeyRepository
    from accord.api_keys.service import ApiKeyService
    from accord.tenants.service import TenantService

    return ApiKeyService(ApiKeyRepository(await TenantService().resolve_slug(slug)))


_ALLOWED = {
    "name": "--name takes 1 to 100 characters, not starting or ending with a space.",
    "scopes": "--scopes takes one to three of read, write and admin, separated by commas, e.g. read,write.",
}


def _utc_moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.datetime | None:
    """A date or a date and time, in UTC; a bad value gets a sentence (click.DateTime would list strftime
    patterns)."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD, e.g. 2027-01-31) or a UTC date and time "
            "(YYYY-MM-DDTHH:MM:SS, e.g. 2027-01-31T18:00:00)."
        ) from None
    if moment.tzinfo is not None and moment.utcoffset() != datetime.timedelta(0):
        raise click.BadParameter(f"{value!r} has a time zone other than UTC; give the UTC time, without an offset.")
    return moment.replace(tzinfo=None)


@keys.command("create", short_help="Issue a key; prints only its secret, shown once.")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--name", required=True, help="What the key is for, e.g. ci.")
@click.option("--scopes", default="read,write", show_default=True, help="Comma-separated: read, write, admin.")
@click.option(
    "--expires-at",
    callback=_utc_moment,
    metavar="YYYY-MM-DD[THH:MM:SS]",
    default=None,
    help="UTC moment the key stops working.",
)
def create_key(slug: str, name: str, scopes: str, expires_at: datetime.datetime | None) -> None:
    """Issue a key; prints only the secret on stdout (shown this once, never again)."""
    prepare_database(load_settings_or_exit())
    from accord.api_keys.schemas import ApiKeyCreate

    values = {
        "name": name,
        "scopes": [part.strip() for part in scopes.split(",") if part.strip()],
        "expires_at": expires_at.replace(tzinfo=datetime.UTC) if expires_at else None,
    }
    data = convert_or_fail(values, ApiKeyCreate, _ALLOWED)

    async def create():  # type: ignore[no-untyped-def]
        return await (await _service_for(slug)).create(data)

    created = run_async(create)
    click.echo(created.key)
    click.echo(
        f"issued key '{created.api_key.name}' ({created.api_key.prefix}...) for tenant {slug} with scopes "
        f"{','.join(created.api_key.scopes)}; store it now, it is not shown again",
        err=True,
    )


@keys.command("list")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked keys.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_keys(slug: str, include_revoked: bool, as_json: bool) -> None:
    """List a tenant's keys (never their secrets)."""
    prepare_database(load_settings_or_exit())

    async def collect():  # type: ignore[no-untyped-def]
        service = await _service_for(slug)
        items, cursor = [], None
        while True:
            page = await service.list(limit=500, cursor=cursor, include_revoked=include_revoked)
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            cursor = page.next_cursor

    items = run_async(collect)
    if as_json:
        click.echo(msgspec.json.encode(items).decode())
        return
    for key in items:
        state = "active" if key.active else ("revoked" if key.revoked_at else "expired")
        click.echo(f"{key.id}\t{key.prefix}\t{key.name}\t{','.join(key.scopes)}\t{state}")


@keys.command("revoke", short_help="Revoke a key; it stops working at once.")
@click.option("--tenant", "slug", required=True, help="Tenant slug.")
@click.option("--id", "key_id", required=True, help="Key id (from `accord keys list`).")
def revoke_key(slug: str, key_id: str) -> None:
    """Revoke a key; it stops working at once in every running Accord process."""
    prepare_database(load_settings_or_exit())
    try:
        parsed = UUID(key_id)
    except ValueError:
        fail(f"--id must be a key id (a UUID), not {key_id!r}", EXIT_USAGE)

    async def revoke():  # type: ignore[no-untyped-def]
        return await (await _service_for(slug)).revoke(parsed)

    key = run_async(revoke)
    click.echo(f"revoked key '{key.name}' ({key.prefix}...)", err=True)
