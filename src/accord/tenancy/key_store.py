"""Finds the tenant a presented API key belongs to.

This is the one query of a tenant-owned table that is not tenant-scoped, because it is how the tenant is
found in the first place; tests/test_tenant_scoping.py allows it here and nowhere else.
"""

from __future__ import annotations

from uuid import UUID

from accord.tenancy.ids import TenantId
from accord.tenancy.principal import KeyRecord, Principal, Scope
from tables.api_key import ApiKey


async def find_key(key_hash: str) -> KeyRecord | None:
    row = await (
        ApiKey.select(
            ApiKey.id,
            ApiKey.name,
            ApiKey.scopes,
            ApiKey.expires_at,
            ApiKey.revoked_at,
            ApiKey.tenant.id.as_alias("tenant_id"),
            ApiKey.tenant.slug.as_alias("tenant_slug"),
            ApiKey.tenant.name.as_alias("tenant_name"),
        )
        .where(ApiKey.key_hash == key_hash)
        .first()
    )
    if row is None:
        return None
    principal = Principal(
        tenant_id=TenantId(UUID(str(row["tenant_id"]))),
        tenant_slug=row["tenant_slug"],
        tenant_name=row["tenant_name"],
        key_id=row["id"],
        key_name=row["name"],
        scopes=frozenset(Scope(s) for s in row["scopes"] if s in Scope._value2member_map_),
    )
    return KeyRecord(principal=principal, expires_at=row["expires_at"], revoked_at=row["revoked_at"])


async def touch_key(principal: Principal) -> None:
    """Record use of a key; the WHERE clause keeps it to one write a minute whatever the worker count."""
    await ApiKey.raw(
        "UPDATE api_key SET last_used_at = now() WHERE tenant = {} AND id = {} "
        "AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
        principal.tenant_id,
        principal.key_id,
    )
