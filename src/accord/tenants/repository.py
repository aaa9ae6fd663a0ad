"""Queries of the tenant table itself (not tenant-owned: it is the owner)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.db.rows import Row, row_as, rows_as
from accord.errors import Conflict
from tables.tenant import Tenant


class TenantRow(Row, frozen=True, kw_only=True):
    id: UUID
    slug: str
    name: str
    created_at: datetime.datetime


class TenantDirectoryRepository:
    """Platform-level access to tenants, for operators (CLI, admin), never for tenant API requests."""

    async def create(self, *, slug: str, name: str) -> TenantRow:
        try:
            rows: list[dict[str, Any]] = await Tenant.insert(Tenant(slug=slug, name=name)).returning(*_COLUMNS)
        except asyncpg.UniqueViolationError:
            raise Conflict(f"A tenant with slug '{slug}' already exists.") from None
        return rows_as(TenantRow, rows)[0]

    async def get_by_slug(self, slug: str) -> TenantRow | None:
        return row_as(TenantRow, await Tenant.select(*_COLUMNS).where(Tenant.slug == slug).first())

    async def list(self) -> list[TenantRow]:
        return rows_as(TenantRow, await Tenant.select(*_COLUMNS).order_by(Tenant.slug))


_COLUMNS = (Tenant.id, Tenant.slug, Tenant.name, Tenant.created_at)
