from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from accord.accounts.roles import Role

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")]
DisplayName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^\S(?:.*\S)?$")]
Password = Annotated[str, msgspec.Meta(min_length=MIN_PASSWORD_LENGTH, max_length=MAX_PASSWORD_LENGTH)]


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    display_name: DisplayName
    password: Password


class Member(msgspec.Struct, kw_only=True):
    """A tenant's member as its members page and `accord users list` show it."""

    user_id: UUID
    email: str
    display_name: str
    role: Role
    created_at: datetime.datetime


class TenantMembership(msgspec.Struct, frozen=True, kw_only=True):
    tenant_slug: str
    tenant_name: str
    role: Role
