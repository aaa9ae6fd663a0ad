from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec


class Event(msgspec.Struct, kw_only=True):
    """One event as the stream sends it (the SSE `data`); `position` is its SSE id."""

    id: UUID
    position: int
    name: str
    consumer: str | None
    provider: str | None
    subject: dict[str, Any]
    created_at: datetime.datetime
