"""Invite by email (the link is shown once, no mail server needed), withdraw, and accept a link: once, before
it expires, even when two browsers use it at the same moment."""

from __future__ import annotations

import datetime
from uuid import UUID

from accord.accounts.membership_repository import MembershipRepository
from accord.accounts.passwords import hash_password_off_loop, verify_password_off_loop
from accord.accounts.roles import Role
from accord.accounts.service import normalize_email
from accord.accounts.tokens import new_token, token_hash
from accord.accounts.user_repository import UserRepository
from accord.db.engine import get_engine
from accord.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from accord.invitations.repository import InvitationRepository, InvitationRow
from accord.invitations.schemas import InvitationAccept, InvitationCreate, IssuedInvitation, PendingInvitation
from accord.tenancy.invitation_store import PresentedInvitation, claim_invitation, find_invitation
from accord.tenant_ids import TenantId

INVITATION_LIFETIME = datetime.timedelta(days=7)


class InvitationService:
    """A tenant's invitations, managed by its admins (only an owner may invite an owner)."""

    def __init__(self, repository: InvitationRepository) -> None:
        self.repository = repository

    async def invite(self, data: InvitationCreate, *, invited_by: UUID, inviter_role: Role) -> IssuedInvitation:
        if data.role is Role.OWNER and inviter_role is not Role.OWNER:
            raise PermissionDenied("Only an owner can invite another owner.")
        token = new_token()
        row = await self.repository.create(
            email=normalize_email(data.email),
            role=data.role,
            token_hash=token_hash(token),
            invited_by=invited_by,
            expires_at=datetime.datetime.now(tz=datetime.UTC) + INVITATION_LIFETIME,
        )
        return IssuedInvitation(token=token, invitation=_pending(row))

    async def pending(self) -> list[PendingInvitation]:
        return [_pending(row) for row in await self.repository.list_pending()]

    async def withdraw(self, invitation_id: UUID) -> None:
        if not await self.repository.withdraw(invitation_id):
            raise NotFound(f"No pending invitation with id {invitation_id}.")


class InvitationAcceptance:
    """What a person holding a link can do: see what it offers, and accept it."""

    def __init__(self, users: UserRepository | None = None) -> None:
        self.users = users or UserRepository()

    async def preview(self, token: str) -> tuple[PresentedInvitation, bool]:
        """The live invitation and whether its email already has an account."""
        invitation = await find_invitation(token_hash(token))
        _require_live(invitation)
        assert invitation is not None
        return invitation, await self.users.find_by_email(invitation.email) is not None

    async def accept(self, token: str, data: InvitationAccept) -> tuple[UUID, TenantId]:
        """Join the tenant (creating the account when the email has none); the user's id and the tenant."""
        async with get_engine().transaction():
            claimed = await claim_invitation(token_hash(token))
            if claimed is None:
                _require_live(await find_invitation(token_hash(token)))
                raise Conflict("This invitation has already been used.")  # claimed by a concurrent request
            user = await self.users.find_by_email(claimed.email)
            if user is not None:
                if not await verify_password_off_loop(user.password_hash, data.password):
                    raise InvalidInput(f"That is not the password of the account {claimed.email}.")
                user_id: UUID = user.id
            else:
                if data.display_name is None:
                    raise InvalidInput("Give your name, as other members will see it.")
                created = await self.users.create(
                    email=claimed.email,
                    display_name=data.display_name,
                    password_hash=await hash_password_off_loop(data.password),
                )
                if created is None:
                    raise Conflict("An account with this email was created a moment ago; open the link again.")
                user_id = created
            if not await MembershipRepository(claimed.tenant_id).add(user_id, claimed.role):
                raise Conflict(f"{claimed.email} is already a member of {claimed.tenant_name}.")
            tenant_id = claimed.tenant_id
        return user_id, tenant_id


def _pending(row: InvitationRow) -> PendingInvitation:
    return PendingInvitation(
        id=row.id, email=row.email, role=row.role, expires_at=row.expires_at, created_at=row.created_at
    )


def _require_live(invitation: PresentedInvitation | None) -> None:
    if invitation is None:
        raise NotFound("This invitation link is not valid. Check that you copied all of it.")
    if invitation.accepted:
        raise Conflict("This invitation has already been used.")
    if invitation.expires_at <= datetime.datetime.now(tz=datetime.UTC):
        raise InvalidInput("This invitation has expired. Ask for a new one.")
