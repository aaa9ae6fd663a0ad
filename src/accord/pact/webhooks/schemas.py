"""A webhook as Pact clients send it (translation.py maps it onto accord.webhooks.schemas)."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from accord.webhooks.events import EventName

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
