"""The one place that reads and writes a tenant's idempotency keys."""

from __future__ import annotations

import datetime

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from accord.idempotency.schemas import StoredResponse
from tables.idempotency import IdempotencyKey

# Claims a key: a new row, or the row of an expired key, or of an attempt that never finished (its process died
# between running the request and storing the response). Returns nothing when someone else holds the key.
_CLAIM = """
INSERT INTO idempotency_key (id, tenant, key, fingerprint, status, headers, body, created_at, updated_at)
VALUES (gen_random_uuid(), $1, $2, $3, NULL, '{}', '', now(), now())
ON CONFLICT (tenant, key) DO UPDATE
    SET fingerprint = EXCLUDED.fingerprint, status = NULL, headers = '{}', body = '',
        created_at = now(), updated_at = now()
    WHERE idempotency_key.created_at < $4 OR (idempotency_key.status IS NULL AND idempotency_key.updated_at < $5)
RETURNING id"""


class KeyRow(Row, frozen=True, kw_only=True):
    fingerprint: str
    status: int | None  # None: the first request with the key is still running
    headers: str  # JSON text of the stored response's headers
    body: bytes


class _Count(msgspec.Struct, frozen=True):
    n: int


class IdempotencyRepository(TenantRepository[IdempotencyKey]):
    table = IdempotencyKey

    async def claim(
        self, key: str, fingerprint: str, *, expired_before: datetime.datetime, stale_before: datetime.datetime
    ) -> bool:
        return bool(await self.fetch(_CLAIM, key, fingerprint, expired_before, stale_before))

    async def find(self, key: str) -> KeyRow | None:
        return await self.fetch_one(
            KeyRow, "SELECT fingerprint, status, headers, body FROM idempotency_key WHERE tenant = $1 AND key = $2", key
        )

    async def complete(self, key: str, fingerprint: str, response: StoredResponse) -> None:
        await self.execute(
            "UPDATE idempotency_key SET status = $4, headers = $5::jsonb, body = $6, updated_at = now() "
            "WHERE tenant = $1 AND key = $2 AND fingerprint = $3 AND status IS NULL",
            key,
            fingerprint,
            response.status,
            msgspec.json.encode(response.headers).decode(),
            response.body,
        )

    async def release(self, key: str, fingerprint: str) -> None:
        """Give up an unfinished claim, so that a retry runs the request again."""
        await self.execute(
            "DELETE FROM idempotency_key WHERE tenant = $1 AND key = $2 AND fingerprint = $3 AND status IS NULL",
            key,
            fingerprint,
        )

    async def delete_expired(self, expired_before: datetime.datetime) -> int:
        status = await self.execute("DELETE FROM idempotency_key WHERE tenant = $1 AND created_at < $2", expired_before)
        return int(status.split()[-1])

    async def count_expired(self, expired_before: datetime.datetime) -> int:
        rows = await self.fetch_as(
            _Count, "SELECT count(*) AS n FROM idempotency_key WHERE tenant = $1 AND created_at < $2", expired_before
        )
        return rows[0].n
