"""`Idempotency-Key` on the native API's POSTs: the first attempt runs and its response is stored; a retry with
the same key and request gets that response again (status and body), with `Idempotent-Replayed: true`."""

from __future__ import annotations

import asyncio
import hashlib
import logging

from litestar.datastructures import Headers
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from accord.errors import FieldError, InvalidInput
from accord.idempotency.schemas import StoredResponse
from accord.idempotency.service import IdempotencyService
from accord.tenancy.middleware import PRINCIPAL_STATE_KEY
from accord.tenancy.principal import Principal

logger = logging.getLogger(__name__)

HEADER = "idempotency-key"
_MAX_KEY_LENGTH = 255
# Response headers a replay repeats; the others (dates, timings, security headers) are the replay's own.
_KEPT_HEADERS = ("content-type", "location")


def _applies(scope: Scope) -> bool:
    return scope["type"] == ScopeType.HTTP and scope["method"] == "POST" and scope["path"].startswith("/api/")


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= _MAX_KEY_LENGTH and key.isascii() and key.isprintable()


class IdempotencyMiddleware(ASGIMiddleware):
    def __init__(self, *, ttl_seconds: float, max_body_bytes: int) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_body_bytes = max_body_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        key = Headers.from_scope(scope).get(HEADER) if _applies(scope) else None
        principal = scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
        if key is None or not isinstance(principal, Principal):
            await next_app(scope, receive, send)
            return
        if not _valid_key(key):
            raise InvalidInput(
                "The Idempotency-Key header is not valid.",
                errors=[FieldError(detail="1 to 255 printable ASCII characters", parameter="header.Idempotency-Key")],
            )
        buffered, body, complete = await _buffer_body(receive, self.max_body_bytes)
        replay = _replaying(buffered, receive)
        if not complete:  # too large to remember: Litestar answers 413 anyway
            await next_app(scope, replay, send)
            return
        fingerprint = _fingerprint(scope, body)
        service = IdempotencyService(principal.tenant_id, ttl_seconds=self.ttl_seconds)
        stored = await service.begin(key, fingerprint)
        if stored is not None:
            await _send_stored(send, stored)
            return
        captured: list[Message] = []

        async def capture(message: Message) -> None:
            captured.append(message)

        try:
            await next_app(scope, replay, capture)
        except BaseException:
            await asyncio.shield(service.abandon(key, fingerprint))
            raise
        response = _stored_from(captured)
        # A server error or a throttled request recorded nothing for sure: the retry must run again.
        if response.status >= 500 or response.status == 429:
            await service.abandon(key, fingerprint)
        else:
            try:
                await service.finish(key, fingerprint, response)
            except Exception as exc:  # the write is done: answer it; the claim expires as stale (STALE_SECONDS)
                logger.warning("idempotent response not stored (%s: %s)", type(exc).__name__, exc)
        for message in captured:
            await send(message)


async def _buffer_body(receive: Receive, limit: int) -> tuple[list[ReceiveMessage], bytes, bool]:
    """The request's messages and body, up to `limit` bytes; whether that was all of it."""
    messages: list[ReceiveMessage] = []
    body = bytearray()
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, bytes(body), False
        body.extend(message.get("body", b""))
        if len(body) > limit:
            return messages, bytes(body), False
        if not message.get("more_body", False):
            return messages, bytes(body), True


def _replaying(messages: list[ReceiveMessage], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> ReceiveMessage:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    method: str = scope["method"]  # type: ignore[typeddict-item]  # only HTTP scopes get here
    for part in (method.encode(), scope["path"].encode(), scope.get("query_string", b""), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _stored_from(messages: list[Message]) -> StoredResponse:
    status, headers, body = 500, {}, bytearray()
    for message in messages:
        if message["type"] == "http.response.start":
            status = int(message["status"])
            for name, value in message.get("headers", []):
                lowered = name.decode("latin-1").lower()
                if lowered in _KEPT_HEADERS:
                    headers[lowered] = value.decode("latin-1")
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))
    return StoredResponse(status=status, headers=headers, body=bytes(body))


async def _send_stored(send: Send, stored: StoredResponse) -> None:
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in stored.headers.items()]
    headers.append((b"content-length", str(len(stored.body)).encode()))
    headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body, "more_body": False})
