"""Names and numbers as they arrive in Pact URL paths, held to the catalog's rules (as in bodies)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from litestar.params import Parameter

from accord.errors import NotFound

# The same rules as accord.catalog.schemas, restated as parameter constraints (Litestar validates these).
PacticipantName = Annotated[
    str, Parameter(min_length=1, max_length=255, pattern=r"^[^/\s\x00-\x1f](?:[^/\x00-\x1f]*[^/\s\x00-\x1f])?$")
]
VersionNumber = Annotated[str, Parameter(min_length=1, max_length=255, pattern=r"^[^/\s\x00-\x1f]+$")]
TagName = Annotated[str, Parameter(min_length=1, max_length=255, pattern=r"^[^/\s\x00-\x1f]+$")]


def resource_id(value: str, what: str) -> UUID:
    """A UUID from a path; anything else names no resource (404, as the broker answers)."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"No {what} with id '{value}'.") from None
