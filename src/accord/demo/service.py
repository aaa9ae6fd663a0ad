"""The demo tenant, key and admin login that a fresh local install starts with."""

from __future__ import annotations

import secrets

import msgspec

from accord.admin.users import AdminUserService
from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.schemas import ApiKeyCreate
from accord.api_keys.service import ApiKeyService
from accord.errors import Conflict, NotFound
from accord.tenancy.principal import Scope
from accord.tenants.schemas import TenantCreate
from accord.tenants.service import TenantService

DEMO_SLUG = "demo"
DEMO_KEY_NAME = "demo"
DEMO_ADMIN_USERNAME = "admin"


class DemoCredentials(msgspec.Struct, kw_only=True):
    tenant: str
    api_key: str | None
    admin_username: str | None
    admin_password: str | None


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
        return DemoCredentials(tenant=DEMO_SLUG, api_key=api_key, admin_username=username, admin_password=password)
