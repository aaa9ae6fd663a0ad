"""Finds and claims the invitation of a presented link: the link is the credential that names its tenant, so
this reads invitations across tenants (tests/test_tenant_scoping.py allows it here) and mints the TenantId
of the invitation's tenant."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.accounts.roles import Role
from accord.db.engine import connection
from accord.db.rows import Row, record_as
from accord.tenant_ids import TenantId


class PresentedInvitation(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    tenant_id: TenantId
    tenant_name: str
    email: str
    role: Role
    expires_at: datetime.datetime
    accepted: bool


class ClaimedInvitationRow(Row, frozen=True, kw_only=True):
    """An invitation with its tenant's name (accord_claim_invitation)."""

    id: UUID
    tenant: UUID
    name: str
    email: str
    role: Role
    expires_at: datetime.datetime


class InvitationRow(ClaimedInvitationRow, frozen=True, kw_only=True):
    """An invitation, used or not (accord_find_invitation)."""

    accepted: bool


def _presented(row: ClaimedInvitationRow, *, accepted: bool) -> PresentedInvitation:
    return PresentedInvitation(
        id=row.id,
        tenant_id=TenantId(row.tenant),
        tenant_name=row.name,
        email=row.email,
        role=row.role,
        expires_at=row.expires_at,
        accepted=accepted,
    )


async def find_invitation(token_hash: str) -> PresentedInvitation | None:
    async with connection() as conn:
        # SECURITY DEFINER functions: row security would hide the invitation before its tenant is known.
        row = record_as(InvitationRow, await conn.fetchrow("SELECT * FROM accord_find_invitation($1)", token_hash))
    return None if row is None else _presented(row, accepted=row.accepted)


async def claim_invitation(token_hash: str) -> PresentedInvitation | None:
    """Mark the invitation used, if it is live and unused: one UPDATE, so of two concurrent claims exactly one
    gets the row (the other waits for the row lock, then sees accepted_at set). Call inside the transaction
    that adds the membership, so a failure after the claim leaves the link usable."""
    async with connection() as conn:
        row = record_as(
            ClaimedInvitationRow, await conn.fetchrow("SELECT * FROM accord_claim_invitation($1)", token_hash)
        )
    return None if row is None else _presented(row, accepted=True)
