from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.accounts.roles import Role
from accord.accounts.schemas import DisplayName, Email, Password


class InvitationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    role: Role


class PendingInvitation(msgspec.Struct, kw_only=True):
    id: UUID
    email: str
    role: Role
    expires_at: datetime.datetime
    created_at: datetime.datetime


class IssuedInvitation(msgspec.Struct, kw_only=True):
    """`token` goes into the link; only its hash is kept, so the link is shown this once."""

    token: str
    invitation: PendingInvitation


class InvitationAccept(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    password: Password
    display_name: DisplayName | None = None  # needed only when the invitee has no account yet
