"""Tenants as operators see them: create, list, find by slug."""

from __future__ import annotations

from uuid import UUID

from accord.errors import NotFound
from accord.tenancy.principal import Principal
from accord.tenant_ids import TenantId
from accord.tenants.repository import TenantDirectoryRepository, TenantRow
from accord.tenants.schemas import Me, MeKey, MeTenant, Tenant, TenantCreate


def _to_schema(row: TenantRow) -> Tenant:
    return Tenant(id=row.id, slug=row.slug, name=row.name, created_at=row.created_at)


class TenantService:
    """The directory of tenants; the only place besides the key resolver that mints TenantIds."""

    def __init__(self, repository: TenantDirectoryRepository | None = None) -> None:
        self.repository = repository or TenantDirectoryRepository()

    async def create(self, data: TenantCreate) -> Tenant:
        return _to_schema(await self.repository.create(slug=data.slug, name=data.name))

    async def list(self) -> list[Tenant]:
        return [_to_schema(row) for row in await self.repository.list()]

    async def get_by_slug(self, slug: str) -> Tenant:
        row = await self.repository.get_by_slug(slug)
        if row is None:
            raise NotFound(f"No tenant with slug '{slug}'.")
        return _to_schema(row)

    async def resolve_slug(self, slug: str) -> TenantId:
        tenant = await self.get_by_slug(slug)
        return TenantId(UUID(str(tenant.id)))


def describe_principal(principal: Principal) -> Me:
    return Me(
        tenant=MeTenant(slug=principal.tenant_slug, name=principal.tenant_name),
        key=MeKey(id=principal.key_id, name=principal.key_name, scopes=sorted(principal.scopes)),
    )
