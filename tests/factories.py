"""Small typed factories; they go through the services, like the CLI does."""

from __future__ import annotations

import contextlib
import datetime
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

import asyncpg

from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.schemas import ApiKeyCreate
from accord.api_keys.service import ApiKeyService
from accord.tenancy.principal import Scope
from accord.tenant_ids import TenantId
from accord.tenants.schemas import TenantCreate
from accord.tenants.service import TenantService


@dataclass(frozen=True)
class TestTenant:
    id: TenantId
    slug: str
    admin_key: str
    write_key: str
    read_key: str

    def headers(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.admin_key}"}


async def make_key(
    tenant: TenantId,
    *,
    name: str = "ci",
    scopes: tuple[Scope, ...] = (Scope.read, Scope.write),
    expires_at: datetime.datetime | None = None,
) -> tuple[str, UUID]:
    created = await ApiKeyService(ApiKeyRepository(tenant)).create(
        ApiKeyCreate(name=name, scopes=list(scopes), expires_at=expires_at)
    )
    return created.key, created.api_key.id


async def make_tenant(slug: str = "acme") -> TestTenant:
    service = TenantService()
    await service.create(TenantCreate(slug=slug, name=slug.title()))
    tenant_id = await service.resolve_slug(slug)
    admin_key, _ = await make_key(tenant_id, name="admin", scopes=(Scope.admin,))
    write_key, _ = await make_key(tenant_id, name="writer", scopes=(Scope.write,))
    read_key, _ = await make_key(tenant_id, name="reader", scopes=(Scope.read,))
    return TestTenant(id=tenant_id, slug=slug, admin_key=admin_key, write_key=write_key, read_key=read_key)


def self_verification(*, success: bool = True, verifier: str = "schemathesis") -> dict[str, str]:
    """Query parameters that publish the provider's own verification of a spec with its upload.

    A static check counts for can-i-deploy only against a spec self-verified successfully."""
    return {"verification_success": "true" if success else "false", "verifier": verifier, "verifier_version": "3.39"}


DEFAULT_PASSWORD = "correct horse battery staple"


async def make_user(email: str, *, password: str = DEFAULT_PASSWORD, display_name: str | None = None) -> UUID:
    from accord.accounts.schemas import UserCreate
    from accord.accounts.service import AccountService

    return await AccountService().create_user(
        UserCreate(email=email, display_name=display_name or email.split("@")[0].title(), password=password)
    )


async def make_member(tenant: TenantId, role: str, *, email: str, password: str = DEFAULT_PASSWORD) -> UUID:
    """A user (created when new) with `role` in the tenant."""
    from accord.accounts.membership_repository import MembershipRepository
    from accord.accounts.roles import Role
    from accord.accounts.service import AccountService, MemberService

    user_id = await AccountService().user_id_of(email) or await make_user(email, password=password)
    await MemberService(MembershipRepository(tenant)).add(user_id, Role(role))
    return user_id


@contextlib.asynccontextmanager
async def owner_connection() -> AsyncIterator[asyncpg.Connection]:
    """A connection as the tables' owner, which row security does not restrict: for tests that look at (or
    arrange) the database across tenants, as an operator would."""
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        yield connection
    finally:
        await connection.close()
