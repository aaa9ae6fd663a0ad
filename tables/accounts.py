"""Human accounts for the dashboard: users (global), their memberships of tenants, invitations, sessions."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import UUID, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.readable import Readable
from piccolo.table import Table

from tables.base import TenantTable
from tables.defaults import utc_now
from tables.tenant import Tenant


class MemberRole(StrEnum):
    owner = "owner"
    admin = "admin"
    member = "member"
    viewer = "viewer"


class UserAccount(Table, help_text="A person who logs in to the dashboard; belongs to tenants through memberships."):
    id = UUID(primary_key=True)
    email = Varchar(length=320, unique=True, null=False, help_text="Login name, stored lower-cased.")
    display_name = Varchar(length=200, null=False, help_text="Shown in the dashboard.")
    password_hash = Varchar(length=255, null=False, help_text="Argon2id hash; never the password.")
    created_at = Timestamptz(default=TimestamptzNow(), help_text="When the user was created.")
    updated_at = Timestamptz(default=TimestamptzNow(), auto_update=utc_now, help_text="When it last changed.")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.email])


class Membership(TenantTable, help_text="A user's role in one tenant (one membership per user and tenant)."):
    id = UUID(primary_key=True)
    user = ForeignKey(UserAccount, null=False, on_delete=OnDelete.cascade, help_text="The member.")
    role = Varchar(length=16, null=False, choices=MemberRole, help_text="owner, admin, member or viewer.")


class Invitation(TenantTable, help_text="A one-time link that lets someone join the tenant with a role."):
    id = UUID(primary_key=True)
    email = Varchar(length=320, null=False, help_text="Who was invited (lower-cased).")
    role = Varchar(length=16, null=False, choices=MemberRole, help_text="The role the invitee gets.")
    token_hash = Varchar(length=64, unique=True, null=False, help_text="Hex SHA-256 of the link's token.")
    invited_by = ForeignKey(UserAccount, null=True, on_delete=OnDelete.set_null, help_text="Who invited.")
    expires_at = Timestamptz(null=False, help_text="The link stops working after this moment.")
    accepted_at = Timestamptz(null=True, default=None, help_text="Set once, when the link is used.")


class WebSession(Table, help_text="A logged-in browser: the cookie holds a secret whose hash is stored here."):
    id = UUID(primary_key=True)
    token_hash = Varchar(length=64, unique=True, null=False, help_text="Hex SHA-256 of the cookie's secret.")
    user = ForeignKey(UserAccount, null=False, on_delete=OnDelete.cascade, help_text="Who is logged in.")
    tenant = ForeignKey(
        Tenant, null=True, on_delete=OnDelete.set_null, help_text="The selected tenant (checked on every request)."
    )
    csrf_token = Varchar(length=64, null=False, help_text="The token every form of this session must carry.")
    created_at = Timestamptz(default=TimestamptzNow(), help_text="When the user logged in.")
    expires_at = Timestamptz(null=False, help_text="The session ends at this moment.")


class BadgeToken(TenantTable, help_text="A tenant's public token for README badges: reads badges and nothing else."):
    id = UUID(primary_key=True)
    token = Varchar(length=64, unique=True, null=False, help_text="Appears in badge URLs; rotate to revoke them.")
