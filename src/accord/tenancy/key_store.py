"""Finds the tenant a presented API key belongs to.

This is a query of a tenant-owned table that is not tenant-scoped, because it is how the tenant is found in
the first place: it calls a narrow SECURITY DEFINER function (row security would hide the key otherwise).
"""

from __future__ import annotations

import datetime
from uuid import UUID

from accord.db.engine import connection
from accord.db.rows import Row, record_as
from accord.tenancy.principal import KeyRecord, Principal, Scope
from accord.tenant_ids import TenantId


class FoundKeyRow(Row, frozen=True, kw_only=True):
    """A key with its tenant, as accord_find_api_key returns it."""

    id: UUID
    name: str
    scopes: list[str]
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    tenant_id: UUID
    tenant_slug: str
    tenant_name: str


async def find_key(key_hash: str) -> KeyRecord | None:
    async with connection() as conn:
        row = record_as(FoundKeyRow, await conn.fetchrow("SELECT * FROM accord_find_api_key($1)", key_hash))
    if row is None:
        return None
    principal = Principal(
        tenant_id=TenantId(row.tenant_id),
        tenant_slug=row.tenant_slug,
        tenant_name=row.tenant_name,
        key_id=row.id,
        key_name=row.name,
        scopes=frozenset(Scope(s) for s in row.scopes if s in Scope._value2member_map_),
    )
    return KeyRecord(principal=principal, expires_at=row.expires_at, revoked_at=row.revoked_at)


async def touch_key(principal: Principal) -> None:
    """Record use of a key; the function writes at most once a minute per key whatever the worker count."""
    async with connection() as conn:
        await conn.execute("SELECT accord_touch_api_key($1, $2)", principal.tenant_id, principal.key_id)
