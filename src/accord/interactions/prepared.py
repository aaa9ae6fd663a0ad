"""An upload item turned into the values of its row: normalized JSON and both hashes. Pure."""

from __future__ import annotations

import datetime
import re

import msgspec

from accord.exchanges.normalize import (
    canonical_json,
    content_hash,
    interaction_hash,
    normalize_request,
    normalize_response,
)
from accord.interactions.schemas import InteractionCreate

# An escaped NUL (an odd number of backslashes before u0000): PostgreSQL's jsonb rejects it.
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class UnstorableValue(ValueError):
    """Valid JSON the database can't store; `pointer` is relative to the item."""

    def __init__(self, pointer: str, detail: str) -> None:
        super().__init__(detail)
        self.pointer = pointer
        self.detail = detail


class PreparedInteraction(msgspec.Struct, frozen=True, kw_only=True):
    consumer: str
    consumer_version: str
    consumer_branch: str | None
    provider: str
    operation: str | None
    method: str
    path: str
    request_json: str
    response_json: str
    environment: str | None
    recorded_at: datetime.datetime | None
    duration_ms: int | None
    client_info_json: str | None
    hash: str
    content_hash: str


def _storable(encoded: bytes, pointer: str) -> str:
    if b"\\u0000" in encoded and _ESCAPED_NUL.search(encoded):
        raise UnstorableValue(pointer, "must not contain the NUL character (\\u0000)")
    return encoded.decode()


def prepare(item: InteractionCreate) -> PreparedInteraction:
    """Normalize and hash one validated item; raises UnstorableValue for what PostgreSQL can't hold."""
    request, response = item.request, item.response
    request_json = canonical_json(
        normalize_request(request.method, request.path, request.query, request.headers, request.body)
    )
    response_json = canonical_json(normalize_response(response.status, response.headers, response.body))
    client_info = item.client_info
    return PreparedInteraction(
        consumer=item.consumer,
        consumer_version=item.consumer_version,
        consumer_branch=item.consumer_branch,
        provider=item.provider,
        operation=item.operation,
        method=request.method.upper(),
        path=request.path,
        request_json=_storable(request_json, "/request"),
        response_json=_storable(response_json, "/response"),
        environment=item.environment,
        recorded_at=item.recorded_at,
        duration_ms=item.duration_ms,
        client_info_json=None if client_info is None else _storable(canonical_json(client_info), "/client_info"),
        hash=interaction_hash(item.consumer, item.consumer_version, item.provider, request_json, response_json),
        content_hash=content_hash(item.provider, request_json, response_json),
    )
