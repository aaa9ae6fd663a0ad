"""Webhooks as the native API reads and writes them (the Pact API maps its own shape onto these)."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from accord.webhooks.events import EventName

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"]
Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
Description = Annotated[str, msgspec.Meta(max_length=500)]
ServiceName = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
LabelName = Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
HeaderName = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
HeaderValue = Annotated[str, msgspec.Meta(max_length=8192)]
Credential = Annotated[str, msgspec.Meta(max_length=255)]
Secret = Annotated[str, msgspec.Meta(min_length=16, max_length=128)]
Events = Annotated[list[EventName], msgspec.Meta(min_length=1, max_length=20)]


class WebhookRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What to send: the body is JSON (any value) or text; `${pactbroker.*}`/`${accord.*}` are replaced."""

    method: Method = "POST"
    url: Url
    headers: dict[HeaderName, HeaderValue] = msgspec.field(default_factory=dict)
    body: Any = None
    username: Credential | None = None
    password: Credential | None = None


class WebhookCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    description: Description = ""
    enabled: bool = True
    events: Events
    consumer: ServiceName | None = None
    provider: ServiceName | None = None
    # Only services with this label (as labelled when the event happens), e.g. every team-payments consumer.
    consumer_label: LabelName | None = None
    provider_label: LabelName | None = None
    request: WebhookRequest
    # HMAC-SHA256 key of the X-Accord-Signature header; generated when absent (and shown once, on creation).
    secret: Secret | None = None


class WebhookUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields to change; absent fields keep their value, a null consumer or provider widens the scope."""

    description: Description | msgspec.UnsetType = msgspec.UNSET
    enabled: bool | msgspec.UnsetType = msgspec.UNSET
    events: Events | msgspec.UnsetType = msgspec.UNSET
    consumer: ServiceName | msgspec.UnsetType | None = msgspec.UNSET
    provider: ServiceName | msgspec.UnsetType | None = msgspec.UNSET
    consumer_label: LabelName | msgspec.UnsetType | None = msgspec.UNSET
    provider_label: LabelName | msgspec.UnsetType | None = msgspec.UNSET
    request: WebhookRequest | msgspec.UnsetType = msgspec.UNSET


class SentRequest(msgspec.Struct, kw_only=True):
    """A request as configured or as sent; the password and auth headers are never shown."""

    method: str
    url: str
    headers: dict[str, str]
    body: Any = None
    username: str | None = None


class Webhook(msgspec.Struct, kw_only=True):
    id: UUID
    description: str
    enabled: bool
    events: list[str]
    consumer: str | None
    provider: str | None
    request: SentRequest
    consumer_label: str | None = None
    provider_label: str | None = None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    secret: str | None = None  # only in the answer to the creation


class Attempt(msgspec.Struct, kw_only=True):
    id: UUID
    attempt: int
    request: SentRequest
    response_status: int | None
    response_excerpt: str
    error: str
    duration_ms: int
    success: bool
    created_at: datetime.datetime


class Delivery(msgspec.Struct, kw_only=True):
    id: UUID
    event_id: UUID
    event: str
    provider_version: str | None
    status: str
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_status: int | None
    created_at: datetime.datetime
    history: list[Attempt]


class Execution(msgspec.Struct, kw_only=True):
    """A test run: the request as sent and what came back."""

    success: bool
    request: SentRequest
    response_status: int | None
    response_headers: dict[str, str]
    response_body: str
    error: str
    duration_ms: int
