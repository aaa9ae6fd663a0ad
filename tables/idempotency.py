"""Idempotency keys: the first response to a POST sent with an `Idempotency-Key`, for its retries."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Bytea, Integer, Varchar
from piccolo.constraints import Unique

from tables.base import TenantTable


class IdempotencyKey(TenantTable, help_text="A POST's Idempotency-Key and the response its first attempt got."):
    id = UUID(primary_key=True)
    key = Varchar(length=255, null=False, help_text="The client's Idempotency-Key header.")
    fingerprint = Varchar(length=64, null=False, help_text="SHA-256 of the method, path, query and body.")
    status = Integer(null=True, default=None, help_text="The first response's status; empty while it runs.")
    headers = JSONB(default="{}", help_text="The first response's content type and location.")
    body = Bytea(default=b"", help_text="The first response's body.")

    idempotency_key_unique = Unique(["tenant", "key"])
