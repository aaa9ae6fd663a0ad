from __future__ import annotations

from accord.db.repository import TenantRepository
from tables.accounts import BadgeToken


class BadgeTokenRepository(TenantRepository[BadgeToken]):
    """The tenant's one badge token (a unique index on tenant keeps it one)."""

    table = BadgeToken

    async def current(self) -> str | None:
        rows = await self.fetch("SELECT token FROM badge_token WHERE tenant = $1")
        return str(rows[0]["token"]) if rows else None

    async def create_if_missing(self, token: str) -> str:
        """The existing token, or `token` when there was none; concurrent first calls agree on one."""
        await self.execute(
            "INSERT INTO badge_token (id, tenant, token, created_at, updated_at) "
            "VALUES (gen_random_uuid(), $1, $2, now(), now()) ON CONFLICT (tenant) DO NOTHING",
            token,
        )
        return await self.current() or token

    async def replace(self, token: str) -> str:
        rows = await self.fetch(
            "INSERT INTO badge_token (id, tenant, token, created_at, updated_at) "
            "VALUES (gen_random_uuid(), $1, $2, now(), now()) "
            "ON CONFLICT (tenant) DO UPDATE SET token = EXCLUDED.token, updated_at = now() RETURNING token",
            token,
        )
        return str(rows[0]["token"])
