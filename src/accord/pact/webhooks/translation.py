"""A webhook as Pact clients send it, mapped onto Accord's (accord.webhooks.schemas)."""

from __future__ import annotations

import msgspec

from accord.errors import FieldError, InvalidInput
from accord.pact.webhooks.schemas import PactPacticipantRef, PactWebhookBody
from accord.webhooks.schemas import WebhookCreate


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
