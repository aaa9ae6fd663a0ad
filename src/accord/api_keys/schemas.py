from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.tenancy.principal import Scope

KeyName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"^\S(?:.*\S)?$")]


class ApiKey(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    active: bool


class ApiKeyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: KeyName
    scopes: Annotated[list[Scope], msgspec.Meta(min_length=1, max_length=3)]
    expires_at: datetime.datetime | None = None


class ApiKeyCreated(msgspec.Struct, kw_only=True):
    """The new key's secret is in `key`; Accord keeps only its hash and will never show it again."""

    key: str
    api_key: ApiKey
