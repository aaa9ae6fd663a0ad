"""A tenant's API keys: issue, list, revoke."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from uuid import UUID

from accord.api_keys.repository import ApiKeyRepository, ApiKeyRow
from accord.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated
from accord.db.engine import get_engine
from accord.errors import FieldError, InvalidInput, NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenancy.key_material import generate_key


def _to_schema(row: ApiKeyRow) -> ApiKey:
    now = datetime.datetime.now(tz=datetime.UTC)
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=row.scopes,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        active=row.revoked_at is None and (row.expires_at is None or row.expires_at > now),
    )


def _forget_nothing(key_hash: str) -> None:
    return None


class ApiKeyService:
    def __init__(self, repository: ApiKeyRepository, forget_key: Callable[[str], None] = _forget_nothing) -> None:
        self.repository = repository
        # The NOTIFY sent at commit reaches this process's cache a moment later; a client that revokes a key
        # and uses it at once must already be refused here, so the revoking process forgets it itself.
        self._forget_key = forget_key

    async def create(self, data: ApiKeyCreate) -> ApiKeyCreated:
        if data.expires_at is not None:
            expires_at = data.expires_at
            if expires_at.tzinfo is None:
                raise InvalidInput(
                    "expires_at needs a time zone.",
                    errors=[FieldError(detail="include a UTC offset, e.g. Z", pointer="/expires_at")],
                )
            if expires_at <= datetime.datetime.now(tz=datetime.UTC):
                raise InvalidInput(
                    "expires_at is in the past.",
                    errors=[FieldError(detail="must be in the future", pointer="/expires_at")],
                )
        new_key = generate_key()
        row = await self.repository.create(
            name=data.name,
            prefix=new_key.prefix,
            key_hash=new_key.key_hash,
            scopes=sorted({scope.value for scope in data.scopes}),
            expires_at=data.expires_at,
        )
        return ApiKeyCreated(key=new_key.secret, api_key=_to_schema(row))

    async def get(self, key_id: UUID) -> ApiKey:
        row = await self.repository.get(key_id)
        if row is None:
            raise NotFound(f"No API key with id {key_id}.")
        return _to_schema(row)

    async def list(self, *, limit: int, cursor: str | None, include_revoked: bool) -> Page[ApiKey]:
        after = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.repository.list_page(
            limit=limit + 1, after=(after[0], after[1]) if after else None, include_revoked=include_revoked
        )
        return page_of(rows, limit, _to_schema, lambda key: (key.created_at, key.id))

    async def revoke(self, key_id: UUID) -> ApiKey:
        async with get_engine().transaction():
            revoked = await self.repository.revoke(key_id)
        if revoked is None:
            raise NotFound(f"No API key with id {key_id}.")
        self._forget_key(revoked.key_hash)
        return _to_schema(revoked)
