from __future__ import annotations

import datetime
from uuid import UUID

from accord.accounts.roles import Role
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.accounts import Invitation


class InvitationRow(Row, frozen=True, kw_only=True):
    """An invitation as its admins see it (never its token's hash)."""

    id: UUID
    email: str
    role: Role
    expires_at: datetime.datetime
    created_at: datetime.datetime


class InvitationRepository(TenantRepository[Invitation]):
    """A tenant's invitations (links are stored only as hashes)."""

    table = Invitation

    async def create(
        self, *, email: str, role: Role, token_hash: str, invited_by: UUID, expires_at: datetime.datetime
    ) -> InvitationRow:
        rows = await self.fetch_as(
            InvitationRow,
            "INSERT INTO invitation (id, tenant, email, role, token_hash, invited_by, expires_at, accepted_at, "
            "created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, NULL, now(), now()) "
            "RETURNING id, email, role, expires_at, created_at",
            email,
            role.value,
            token_hash,
            invited_by,
            expires_at,
        )
        return rows[0]

    async def list_pending(self) -> list[InvitationRow]:
        return await self.fetch_as(
            InvitationRow,
            "SELECT id, email, role, expires_at, created_at FROM invitation "
            "WHERE tenant = $1 AND accepted_at IS NULL AND expires_at > now() ORDER BY created_at DESC",
        )

    async def withdraw(self, invitation_id: UUID) -> bool:
        status = await self.execute(
            "DELETE FROM invitation WHERE tenant = $1 AND id = $2 AND accepted_at IS NULL", invitation_id
        )
        return status != "DELETE 0"
