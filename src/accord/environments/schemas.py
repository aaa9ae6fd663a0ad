from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from accord.catalog.names import SEGMENT_PATTERN

# Names travel in URL paths (and Pact links), so no '/', whitespace or control characters.
EnvironmentName = Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=SEGMENT_PATTERN)]
DisplayName = Annotated[str, msgspec.Meta(max_length=255)]


class Environment(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    display_name: str | None
    production: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


class Contact(msgspec.Struct, kw_only=True, omit_defaults=True):
    """Who to ask about an environment; `details` is free-form (as the Pact Broker's)."""

    name: str | None = None
    email: str | None = None
    details: dict[str, Any] | None = None


class EnvironmentCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: EnvironmentName
    display_name: DisplayName | None = None
    production: bool = False


class EnvironmentUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields to change; absent fields keep their value, a null display_name clears it."""

    display_name: DisplayName | msgspec.UnsetType | None = msgspec.UNSET
    production: bool | msgspec.UnsetType = msgspec.UNSET
