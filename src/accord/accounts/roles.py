"""What a member may do in a tenant: each role includes the ones below it."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    MEMBER = "member"
    VIEWER = "viewer"

    def at_least(self, other: Role) -> bool:
        """True when this role may do everything `other` may (viewer reads; member also reviews fixtures;
        admin also manages keys and webhooks; owner also manages members)."""
        return _RANK[self] >= _RANK[other]


_RANK = {Role.VIEWER: 0, Role.MEMBER: 1, Role.ADMIN: 2, Role.OWNER: 3}
