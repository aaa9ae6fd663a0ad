"""Finds the tenant of a badge token presented in a public badge URL. Like the key store, it runs before the
tenant is known (tests/test_tenant_scoping.py allows it); the TenantId it mints serves badge routes only."""

from __future__ import annotations

from accord.db.engine import connection
from accord.errors import NotFound
from accord.tenant_ids import TenantId

# Tokens are ASCII of a known shape; anything else is not looked up at all.
_MAX_TOKEN_LENGTH = 64


async def tenant_of_badge_token(badge_token: str) -> TenantId:
    if len(badge_token) > _MAX_TOKEN_LENGTH or not badge_token.isascii():
        raise NotFound("No such badge.")
    async with connection() as conn:
        tenant = await conn.fetchval("SELECT accord_tenant_of_badge_token($1)", badge_token)
    if tenant is None:
        raise NotFound("No such badge.")
    return TenantId(tenant)
