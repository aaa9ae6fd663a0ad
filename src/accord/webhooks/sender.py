"""Building a webhook's request from its template and sending it through the SSRF guard."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Mapping
from typing import Any

import httpx
import msgspec

from accord.webhooks.repository import WebhookRow
from accord.webhooks.schemas import SentRequest
from accord.webhooks.signing import (
    EVENT_HEADER,
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    redact_headers,
    redact_url,
    signature,
)
from accord.webhooks.templates import render_json, render_text, render_url
from accord.webhooks.url_guard import BlockedUrl

EXCERPT_BYTES = 2048


class Prepared(msgspec.Struct, frozen=True, kw_only=True):
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None
    shown_body: Any  # for the attempt log

    def shown(self, username: str | None) -> SentRequest:
        return SentRequest(
            method=self.method,
            url=redact_url(self.url),
            headers=redact_headers(self.headers),
            body=self.shown_body,
            username=username,
        )


class Outcome(msgspec.Struct, kw_only=True):
    success: bool
    status: int | None = None
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    excerpt: str = ""
    error: str = ""
    duration_ms: int = 0


def prepare(webhook: WebhookRow, variables: Mapping[str, str], *, idempotency_key: str, event_name: str) -> Prepared:
    """The webhook's request with its variables filled in, signed with its secret."""
    url = render_url(webhook.url, variables)
    headers = {name: render_text(str(value), variables) for name, value in (webhook.headers or {}).items()}
    body: bytes | None = None
    shown: Any = None
    if webhook.body is not None:
        if webhook.body_is_json:
            shown = render_json(msgspec.json.decode(webhook.body), variables)
            body = msgspec.json.encode(shown)
            if not any(name.lower() == "content-type" for name in headers):
                headers["Content-Type"] = "application/json"
        else:
            shown = render_text(webhook.body, variables)
            body = shown.encode()
    if webhook.username is not None:
        credentials = f"{webhook.username}:{webhook.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(credentials).decode()
    timestamp = str(int(time.time()))
    headers[IDEMPOTENCY_HEADER] = idempotency_key
    headers[EVENT_HEADER] = event_name
    headers[TIMESTAMP_HEADER] = timestamp
    headers[SIGNATURE_HEADER] = signature(webhook.secret, timestamp, body or b"")
    return Prepared(method=webhook.method, url=url, headers=headers, body=body, shown_body=shown)


async def send(client: httpx.AsyncClient, request: Prepared, *, deadline_seconds: float) -> Outcome:
    """Send once; never raises for what the receiver or the network does. `deadline_seconds` bounds the whole
    exchange (a receiver that trickles bytes defeats the per-read timeout)."""
    started = time.monotonic()
    outcome = Outcome(success=False)
    try:
        async with asyncio.timeout(deadline_seconds):
            async with client.stream(
                request.method, request.url, headers=request.headers, content=request.body
            ) as response:
                excerpt = bytearray()
                async for chunk in response.aiter_bytes():
                    excerpt.extend(chunk)
                    if len(excerpt) >= EXCERPT_BYTES:
                        break
                outcome = Outcome(
                    success=200 <= response.status_code < 300,
                    status=response.status_code,
                    headers=redact_headers(dict(response.headers)),
                    excerpt=bytes(excerpt[:EXCERPT_BYTES]).decode("utf-8", "replace"),
                )
    except BlockedUrl as exc:
        outcome = Outcome(success=False, error=f"blocked: {exc}")
    except TimeoutError:
        outcome = Outcome(success=False, error=f"timed out: no complete response within {deadline_seconds:g} s")
    except httpx.TimeoutException as exc:
        outcome = Outcome(success=False, error=f"timed out: {type(exc).__name__} ({client.timeout.read:g} s)")
    except httpx.TooManyRedirects:
        outcome = Outcome(success=False, error="too many redirects")
    except httpx.HTTPError as exc:
        outcome = Outcome(success=False, error=f"{type(exc).__name__}: {exc}"[:500])
    outcome.duration_ms = int((time.monotonic() - started) * 1000)
    return outcome
