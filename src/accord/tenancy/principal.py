"""Who a request acts as: a tenant, through one of its API keys."""

from __future__ import annotations

import datetime
from enum import StrEnum
from uuid import UUID

import msgspec

from accord.tenant_ids import TenantId


class Scope(StrEnum):
    read = "read"
    write = "write"
    admin = "admin"


# Each scope includes the ones below it: a write key can read, an admin key can do anything.
_IMPLIED: dict[Scope, frozenset[Scope]] = {
    Scope.read: frozenset({Scope.read}),
    Scope.write: frozenset({Scope.read, Scope.write}),
    Scope.admin: frozenset({Scope.read, Scope.write, Scope.admin}),
}


def effective_scopes(granted: frozenset[Scope]) -> frozenset[Scope]:
    return frozenset().union(*(_IMPLIED[scope] for scope in granted)) if granted else frozenset()


class Principal(msgspec.Struct, frozen=True, kw_only=True):
    tenant_id: TenantId
    tenant_slug: str
    tenant_name: str
    key_id: UUID
    key_name: str
    scopes: frozenset[Scope]

    def allows(self, scope: Scope) -> bool:
        return scope in effective_scopes(self.scopes)


class KeyRecord(msgspec.Struct, frozen=True, kw_only=True):
    """What the key store knows of a presented key, including why it may not be usable."""

    principal: Principal
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
