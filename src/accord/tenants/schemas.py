from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.tenancy.principal import Scope

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$", max_length=63)]
TenantName = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class Tenant(msgspec.Struct, kw_only=True):
    id: UUID
    slug: str
    name: str
    created_at: datetime.datetime


class TenantCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    slug: Slug
    name: TenantName


class MeTenant(msgspec.Struct, kw_only=True):
    slug: str
    name: str


class MeKey(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    scopes: list[Scope]


class Me(msgspec.Struct, kw_only=True):
    """Who the presented key acts as (the CLI's `whoami`)."""

    tenant: MeTenant
    key: MeKey
