"""Names and numbers as they arrive in Pact URL paths, held to the catalog's rules (as in bodies)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar.params import Parameter

from accord.catalog.names import SEGMENT_PATTERN, SERVICE_NAME_PATTERN
from accord.errors import NotFound

# The catalog's name rule (accord.catalog.names), as parameter constraints (Litestar validates these).
PacticipantName = Annotated[str, Parameter(min_length=1, max_length=255, pattern=SERVICE_NAME_PATTERN)]
VersionNumber = Annotated[str, Parameter(min_length=1, max_length=255, pattern=SEGMENT_PATTERN)]
TagName = Annotated[str, Parameter(min_length=1, max_length=255, pattern=SEGMENT_PATTERN)]
LabelName = TagName


def resource_id(value: str, what: str) -> UUID:
    """A UUID from a path; anything else names no resource (404, as the broker answers)."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"No {what} with id '{value}'.") from None
