from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.accounts.roles import Role
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.accounts import Membership


class MemberRow(Row, frozen=True, kw_only=True):
    user_id: UUID
    email: str
    display_name: str
    role: Role
    created_at: datetime.datetime


class _RoleRow(msgspec.Struct, frozen=True):
    role: Role


class _UserRow(msgspec.Struct, frozen=True):
    user: UUID


class MembershipRepository(TenantRepository[Membership]):
    """A tenant's members and their roles."""

    table = Membership

    async def add(self, user_id: UUID, role: Role) -> bool:
        """Make the user a member; False when they already are (their role is left as it is)."""
        rows = await self.fetch(
            'INSERT INTO membership (id, tenant, "user", role, created_at, updated_at) '
            "VALUES (gen_random_uuid(), $1, $2, $3, now(), now()) "
            'ON CONFLICT (tenant, "user") DO NOTHING RETURNING id',
            user_id,
            role.value,
        )
        return bool(rows)

    async def list_members(self) -> list[MemberRow]:
        return await self.fetch_as(
            MemberRow,
            "SELECT u.id AS user_id, u.email, u.display_name, m.role, m.created_at FROM membership m "
            'JOIN user_account u ON u.id = m."user" WHERE m.tenant = $1 ORDER BY u.email',
        )

    async def role_of(self, user_id: UUID) -> Role | None:
        row = await self.fetch_one(_RoleRow, 'SELECT role FROM membership WHERE tenant = $1 AND "user" = $2', user_id)
        return row.role if row else None

    async def lock_owners(self) -> list[UUID]:
        """The tenant's owners, locked until the transaction ends: two owners demoting or removing each other
        at once must not leave the tenant without one."""
        rows = await self.fetch_as(
            _UserRow,
            'SELECT "user" FROM membership WHERE tenant = $1 AND role = \'owner\' ORDER BY "user" FOR UPDATE',
        )
        return [row.user for row in rows]

    async def set_role(self, user_id: UUID, role: Role) -> bool:
        status = await self.execute(
            'UPDATE membership SET role = $3, updated_at = now() WHERE tenant = $1 AND "user" = $2',
            user_id,
            role.value,
        )
        return status != "UPDATE 0"

    async def remove(self, user_id: UUID) -> bool:
        status = await self.execute('DELETE FROM membership WHERE tenant = $1 AND "user" = $2', user_id)
        return status != "DELETE 0"
