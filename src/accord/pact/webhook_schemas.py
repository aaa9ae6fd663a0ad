"""A webhook as Pact clients send it, mapped onto Accord's (accord.webhooks.schemas)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from accord.errors import FieldError, InvalidInput
from accord.webhooks.events import EventName
from accord.webhooks.schemas import WebhookCreate

_Name = Annotated[str, msgspec.Meta(max_length=255)]


class PactPacticipantRef(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: _Name | None = None
    label: _Name | None = None


class PactEventRef(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: EventName


class PactWebhookRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    method: Annotated[str, msgspec.Meta(max_length=10)] = "POST"
    url: Annotated[str, msgspec.Meta(max_length=2048)]
    # The broker takes an object; the `pact broker` CLI sends a list of "Name: value" strings.
    headers: dict[str, str] | list[str] | None = None
    body: Any = None
    username: _Name | None = None
    password: _Name | None = None


class PactWebhookBody(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    description: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    enabled: bool = True
    events: Annotated[list[PactEventRef], msgspec.Meta(max_length=20)] = msgspec.field(default_factory=list)
    consumer: PactPacticipantRef | None = None
    provider: PactPacticipantRef | None = None
    request: PactWebhookRequest
    team_uuid: str | None = None  # PactFlow's; there are no teams here


def _headers(headers: dict[str, str] | list[str] | None) -> dict[str, str]:
    if isinstance(headers, dict):
        return headers
    parsed: dict[str, str] = {}
    for header in headers or []:
        name, separator, value = header.partition(":")
        if not separator:
            raise InvalidInput(
                f"Header '{header}' is not 'Name: value'.",
                errors=[FieldError(detail="not 'Name: value'", pointer="/request/headers")],
            )
        parsed[name.strip()] = value.strip()
    return parsed


def _name(ref: PactPacticipantRef | None) -> str | None:
    return ref.name or None if ref is not None else None


def _label(ref: PactPacticipantRef | None) -> str | None:
    return ref.label or None if ref is not None else None


def _check_one_selector(ref: PactPacticipantRef | None, role: str) -> None:
    # As in the broker: a webhook names the pacticipant or selects by label, not both.
    if ref is not None and ref.name and ref.label:
        raise InvalidInput(
            f"The webhook's {role} has both a name and a label; give one.",
            errors=[FieldError(detail="cannot specify both a name and a label", pointer=f"/{role}")],
        )


def to_webhook_create(body: PactWebhookBody) -> WebhookCreate:
    _check_one_selector(body.consumer, "consumer")
    _check_one_selector(body.provider, "provider")
    if not body.events:
        raise InvalidInput(
            "A webhook needs at least one event.", errors=[FieldError(detail="empty", pointer="/events")]
        )
    request = body.request
    fields = {
        "description": body.description or "",
        "enabled": body.enabled,
        "events": [event.name for event in body.events],
        "consumer": _name(body.consumer),
        "provider": _name(body.provider),
        "consumer_label": _label(body.consumer),
        "provider_label": _label(body.provider),
        "request": {
            "method": request.method.upper(),
            "url": request.url,
            "headers": _headers(request.headers),
            "body": request.body,
            "username": request.username,
            "password": request.password,
        },
    }
    try:
        return msgspec.convert(fields, WebhookCreate)
    except msgspec.ValidationError as exc:
        raise InvalidInput(f"The webhook is not valid: {exc}.") from None
