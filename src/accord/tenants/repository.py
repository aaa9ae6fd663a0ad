"""Queries of the tenant table itself (not tenant-owned: it is the owner)."""

from __future__ import annotations

from typing import Any

import asyncpg

from accord.errors import Conflict
from tables.tenant import Tenant


class TenantDirectoryRepository:
    """Platform-level access to tenants, for operators (CLI, admin), never for tenant API requests."""

    async def create(self, *, slug: str, name: str) -> dict[str, Any]:
        try:
            rows: list[dict[str, Any]] = await Tenant.insert(Tenant(slug=slug, name=name)).returning(*_COLUMNS)
        except asyncpg.UniqueViolationError:
            raise Conflict(f"A tenant with slug '{slug}' already exists.") from None
        return rows[0]

    async def get_by_slug(self, slug: str) -> dict[str, Any] | None:
        row: dict[str, Any] | None = await Tenant.select(*_COLUMNS).where(Tenant.slug == slug).first()
        return row

    async def list(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = await Tenant.select(*_COLUMNS).order_by(Tenant.slug)
        return rows


_COLUMNS = (Tenant.id, Tenant.slug, Tenant.name, Tenant.created_at)
