"""Timestamps as the Pact Broker writes them: UTC, whole seconds, xmlschema ('2024-03-17T07:11:23+00:00')."""

from __future__ import annotations

import datetime
from typing import Any


def pact_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat()


def timestamps(created_at: datetime.datetime, updated_at: datetime.datetime | None = None) -> dict[str, Any]:
    """createdAt, and updatedAt only when the row changed after it was created (as the broker does)."""
    fields: dict[str, Any] = {"createdAt": pact_time(created_at)}
    if updated_at is not None and updated_at != created_at:
        fields["updatedAt"] = pact_time(updated_at)
    return fields
