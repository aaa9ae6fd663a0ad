"""The demo tenant, key and admin login that a fresh local install starts with."""

from __future__ import annotations

import secrets

import msgspec

from accord.accounts.membership_repository import MembershipRepository
from accord.accounts.roles import Role
from accord.accounts.schemas import UserCreate
from accord.accounts.service import AccountService
from accord.admin.users import AdminUserService
from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.schemas import ApiKeyCreate
from accord.api_keys.service import ApiKeyService
from accord.errors import Conflict, NotFound
from accord.tenancy.principal import Scope
from accord.tenant_ids import TenantId
from accord.tenants.schemas import TenantCreate
from accord.tenants.service import TenantService

DEMO_SLUG = "demo"
DEMO_KEY_NAME = "demo"
DEMO_ADMIN_USERNAME = "admin"
# The dashboard's demo user: owner of the demo tenant. `.local`-style names are refused by some email
# validators; example.com is reserved for exactly this.
DEMO_USER_EMAIL = "demo@example.com"


class DemoCredentials(msgspec.Struct, kw_only=True):
    tenant: str
    api_key: str | None
    admin_username: str | None
    admin_password: str | None
    dashboard_email: str | None = None
    dashboard_password: str | None = None


class DemoService:
    async def ensure(self, with_admin_user: bool) -> DemoCredentials:
        """Create what is missing of the demo set-up; secrets are returned only when created now."""
        tenants = TenantService()
        try:
            tenant_id = await tenants.resolve_slug(DEMO_SLUG)
            api_key = None
        except NotFound:
            try:
                await tenants.create(TenantCreate(slug=DEMO_SLUG, name="Demo"))
            except Conflict:  # another process created it a moment ago; its run shows the key
                return DemoCredentials(tenant=DEMO_SLUG, api_key=None, admin_username=None, admin_password=None)
            tenant_id = await tenants.resolve_slug(DEMO_SLUG)
            created = await ApiKeyService(ApiKeyRepository(tenant_id)).create(
                ApiKeyCreate(name=DEMO_KEY_NAME, scopes=[Scope.read, Scope.write, Scope.admin])
            )
            api_key = created.key
        username = password = None
        users = AdminUserService()
        if with_admin_user and not await users.exists():
            username, password = DEMO_ADMIN_USERNAME, secrets.token_urlsafe(12)
            await users.create(username=username, email="admin@localhost", password=password)
        dashboard_email = dashboard_password = None
        if with_admin_user:
            dashboard_password = secrets.token_urlsafe(12)
            if await self._ensure_dashboard_user(tenant_id, dashboard_password):
                dashboard_email = DEMO_USER_EMAIL
            else:
                dashboard_password = None
        return DemoCredentials(
            tenant=DEMO_SLUG,
            api_key=api_key,
            admin_username=username,
            admin_password=password,
            dashboard_email=dashboard_email,
            dashboard_password=dashboard_password,
        )

    async def _ensure_dashboard_user(self, tenant_id: TenantId, password: str) -> bool:
        """Create the demo user (owner of the demo tenant) unless it exists; True when created now."""
        accounts = AccountService()
        if await accounts.user_id_of(DEMO_USER_EMAIL) is not None:
            return False
        try:
            user_id = await accounts.create_user(
                UserCreate(email=DEMO_USER_EMAIL, display_name="Demo User", password=password)
            )
        except Conflict:  # another process created it a moment ago
            return False
        await MembershipRepository(tenant_id).add(user_id, Role.OWNER)
        return True
