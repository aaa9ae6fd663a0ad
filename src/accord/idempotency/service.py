"""IdempotencyService: one run per (tenant, Idempotency-Key); retries get the stored response, concurrent
duplicates wait for it."""

from __future__ import annotations

import asyncio
import datetime
import time

import msgspec

from accord.errors import Conflict, InvalidInput
from accord.idempotency.repository import IdempotencyRepository
from accord.idempotency.schemas import StoredResponse
from accord.tenant_ids import TenantId

# How long a duplicate waits for the first attempt's response before answering 409 (retry later).
WAIT_SECONDS = 30.0
_POLL_SECONDS = 0.05
# An attempt unfinished after this long died with its process (between its write and storing the response):
# a retry may take its key over.
STALE_SECONDS = 120.0


class IdempotencyKeyReused(InvalidInput):
    slug = "idempotency-key-reused"
    title = "The Idempotency-Key was used for another request"


class IdempotencyKeyInProgress(Conflict):
    slug = "idempotency-key-in-progress"
    title = "A request with this Idempotency-Key is still running"


class IdempotencyService:
    def __init__(self, tenant: TenantId, *, ttl_seconds: float, wait_seconds: float = WAIT_SECONDS) -> None:
        self.keys = IdempotencyRepository(tenant)
        self.ttl_seconds = ttl_seconds
        self.wait_seconds = wait_seconds

    async def begin(self, key: str, fingerprint: str) -> StoredResponse | None:
        """None when this attempt holds the key and must run; else the first attempt's response.

        The unique (tenant, key) constraint decides which of concurrent duplicates runs; the others poll until
        its response is stored (or its claim is given up, and then claim the key themselves).
        """
        deadline = time.monotonic() + self.wait_seconds
        while True:
            now = datetime.datetime.now(datetime.UTC)
            if await self.keys.claim(
                key,
                fingerprint,
                expired_before=now - datetime.timedelta(seconds=self.ttl_seconds),
                stale_before=now - datetime.timedelta(seconds=STALE_SECONDS),
            ):
                return None
            row = await self.keys.find(key)
            if row is None:
                continue  # the first attempt gave its claim up just now
            if row.fingerprint != fingerprint:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was sent with a different request (method, path, query or body); "
                    "use a new key for a new request."
                )
            if row.status is not None:
                headers = msgspec.json.decode(row.headers, type=dict[str, str])
                return StoredResponse(status=row.status, headers=headers, body=row.body)
            if time.monotonic() > deadline:
                raise IdempotencyKeyInProgress(
                    "The first request with this Idempotency-Key has not finished; retry later."
                )
            await asyncio.sleep(_POLL_SECONDS)

    async def finish(self, key: str, fingerprint: str, response: StoredResponse) -> None:
        await self.keys.complete(key, fingerprint, response)

    async def abandon(self, key: str, fingerprint: str) -> None:
        await self.keys.release(key, fingerprint)
