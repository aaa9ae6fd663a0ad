"""GET /api/events: the tenant's events as Server-Sent Events, resumable with Last-Event-ID."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, get
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, Parameter
from litestar.response import ServerSentEvent, ServerSentEventMessage

from accord.errors import FieldError, InvalidInput
from accord.events.service import EventStreamService
from accord.tenant_ids import TenantId

Since = Annotated[int | None, Parameter(ge=0, le=2**63 - 1, description="Start after this event position.")]


def _start_position(request: Request[Any, Any, Any], since: int | None) -> int | None:
    header = request.headers.get("last-event-id")
    if header is None:
        return since
    try:
        position = int(header)
    except ValueError:
        position = -1
    if not 0 <= position < 2**63:
        raise InvalidInput(
            "Last-Event-ID must be an event position (a non-negative integer).",
            errors=[FieldError(detail="not an event position", parameter="Last-Event-ID")],
        )
    return position


async def _messages(events: EventStreamService, position: int) -> AsyncIterator[ServerSentEventMessage]:
    yield ServerSentEventMessage(comment="accord events", retry=3000)
    async for event in events.stream(position):
        if event is None:
            yield ServerSentEventMessage(comment="keep-alive")
        else:
            data = msgspec.json.encode(event).decode()
            yield ServerSentEventMessage(data=data, event=event.name, id=str(event.position))


class EventStreamController(Controller):
    path = "/api/events"
    tags = ["events"]

    @get(
        "/",
        operation_id="StreamEvents",
        media_type="text/event-stream",
        summary="Server-Sent Events of this tenant; resume with Last-Event-ID (or ?since=position)",
    )
    async def stream_events(
        self,
        request: Request[Any, Any, Any],
        tenant_id: NamedDependency[TenantId],
        state: State,
        since: FromQuery[Since] = None,
    ) -> ServerSentEvent:
        events = EventStreamService(tenant_id, state.event_signal)
        position = await events.start_position(_start_position(request, since))
        return ServerSentEvent(_messages(events, position))
