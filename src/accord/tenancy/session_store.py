"""Finds who a browser's session cookie belongs to, their memberships and the tenant they selected.

Like the key store for API keys, this reads memberships across tenants, because it is how a page request's
tenant is found in the first place; tests/test_tenant_scoping.py allows it here. The selected tenant's
TenantId is minted here and only here for pages, after checking the user is a member of it.
"""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.accounts.roles import Role
from accord.accounts.schemas import TenantMembership
from accord.db.engine import connection
from accord.db.rows import Row, records_as
from accord.tenant_ids import TenantId


class SessionRecord(msgspec.Struct, frozen=True, kw_only=True):
    session_id: UUID
    csrf_token: str
    user_id: UUID
    email: str
    display_name: str
    memberships: tuple[TenantMembership, ...]
    # The selected membership (or the first one when none is selected or it was revoked); None: no tenant.
    tenant_id: TenantId | None
    tenant_slug: str | None
    tenant_name: str | None
    role: Role | None


class SessionMembershipRow(Row, frozen=True, kw_only=True):
    """A live session with one membership of its user (accord_find_session; tenant fields None: none)."""

    session_id: UUID
    csrf_token: str
    selected: UUID | None
    user_id: UUID
    email: str
    display_name: str
    tenant_id: UUID | None
    slug: str | None
    name: str | None
    role: Role | None


async def create_session(
    *, user_id: UUID, tenant: TenantId | None, token_hash: str, csrf_token: str, expires_at: datetime.datetime
) -> None:
    async with connection() as conn:
        # Ended sessions of this user go at each login: the table never grows with abandoned cookies.
        await conn.execute('DELETE FROM web_session WHERE "user" = $1 AND expires_at < now()', user_id)
        await conn.execute(
            'INSERT INTO web_session (id, token_hash, "user", tenant, csrf_token, created_at, expires_at) '
            "VALUES (gen_random_uuid(), $1, $2, $3, $4, now(), $5)",
            token_hash,
            user_id,
            tenant,
            csrf_token,
            expires_at,
        )


async def find_session(token_hash: str) -> SessionRecord | None:
    """The live session with this cookie hash, with every membership of its user, in one query."""
    async with connection() as conn:
        # A SECURITY DEFINER function: row security would show no membership before the tenant is known.
        rows = records_as(
            SessionMembershipRow, await conn.fetch("SELECT * FROM accord_find_session($1) ORDER BY slug", token_hash)
        )
    if not rows:
        return None
    first = rows[0]
    # A membership's columns come together (a LEFT JOIN): a row with a tenant has its slug, name and role.
    members = [
        (row.tenant_id, row.slug, row.name, row.role)
        for row in rows
        if row.tenant_id is not None and row.slug is not None and row.name is not None and row.role is not None
    ]
    chosen = next((member for member in members if member[0] == first.selected), members[0] if members else None)
    return SessionRecord(
        session_id=first.session_id,
        csrf_token=first.csrf_token,
        user_id=first.user_id,
        email=first.email,
        display_name=first.display_name,
        memberships=tuple(
            TenantMembership(tenant_slug=slug, tenant_name=name, role=role) for _, slug, name, role in members
        ),
        tenant_id=TenantId(chosen[0]) if chosen else None,
        tenant_slug=chosen[1] if chosen else None,
        tenant_name=chosen[2] if chosen else None,
        role=chosen[3] if chosen else None,
    )


async def select_tenant(session_id: UUID, tenant_slug: str) -> bool:
    """Select a tenant the session's user is a member of; False (nothing changed) for any other slug."""
    async with connection() as conn:
        selected: bool = await conn.fetchval("SELECT accord_select_session_tenant($1, $2)", session_id, tenant_slug)
    return selected


async def delete_session(token_hash: str) -> None:
    async with connection() as conn:
        await conn.execute("DELETE FROM web_session WHERE token_hash = $1", token_hash)
