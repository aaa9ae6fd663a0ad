from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import asyncpg

from accord.db.repository import TenantRepository
from accord.db.rows import Row, row_as, rows_as
from accord.errors import Conflict
from accord.tenancy.principal import Scope
from tables.api_key import ApiKey

_COLUMNS = (
    ApiKey.id,
    ApiKey.name,
    ApiKey.prefix,
    ApiKey.scopes,
    ApiKey.created_at,
    ApiKey.last_used_at,
    ApiKey.expires_at,
    ApiKey.revoked_at,
)


class ApiKeyRow(Row, frozen=True, kw_only=True):
    """A key as listed (_COLUMNS); never its hash."""

    id: UUID
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    expires_at: datetime.datetime | None
    revoked_at: datetime.datetime | None


class RevokedKeyRow(ApiKeyRow, frozen=True, kw_only=True):
    """A revoked key with its hash: what the caches that hold it are told to forget."""

    key_hash: str


class ApiKeyRepository(TenantRepository[ApiKey]):
    """A tenant's API keys."""

    table = ApiKey

    async def create(
        self,
        *,
        name: str,
        prefix: str,
        key_hash: str,
        scopes: list[str],
        expires_at: datetime.datetime | None,
    ) -> ApiKeyRow:
        row = {
            "name": name,
            "prefix": prefix,
            "key_hash": key_hash,
            "scopes": scopes,
            "expires_at": expires_at,
        }
        try:
            rows: list[dict[str, Any]] = await self.insert(row).returning(*_COLUMNS)
        except asyncpg.UniqueViolationError:
            raise Conflict(
                f"An active API key named '{name}' already exists; revoke it or pick another name."
            ) from None
        return rows_as(ApiKeyRow, rows)[0]

    async def get(self, key_id: UUID) -> ApiKeyRow | None:
        return row_as(ApiKeyRow, await self.select(*_COLUMNS).where(ApiKey.id == key_id).first())

    async def list_page(
        self, *, limit: int, after: tuple[datetime.datetime, UUID] | None, include_revoked: bool
    ) -> list[ApiKeyRow]:
        query = self.select(*_COLUMNS).order_by(ApiKey.created_at, ApiKey.id).limit(limit)
        if after is not None:
            created_at, key_id = after
            query = query.where(
                (ApiKey.created_at > created_at) | ((ApiKey.created_at == created_at) & (ApiKey.id > key_id))
            )
        if not include_revoked:
            query = query.where(ApiKey.revoked_at.is_null())
        return rows_as(ApiKeyRow, await query)

    async def revoke(self, key_id: UUID) -> RevokedKeyRow | None:
        """Revoke (a no-op if already revoked): the key's row and its hash. A trigger tells every Accord process
        to forget the key."""
        await self.update({ApiKey.revoked_at: datetime.datetime.now(tz=datetime.UTC)}).where(
            (ApiKey.id == key_id) & ApiKey.revoked_at.is_null()
        )
        row = await self.select(*_COLUMNS, ApiKey.key_hash).where(ApiKey.id == key_id).first()
        return row_as(RevokedKeyRow, row)
