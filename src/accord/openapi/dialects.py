"""Which OpenAPI a document is written in, the one way every reader asks it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Dialect = Literal["2.0", "3.0", "3.1"]


def dialect_of(document: Mapping[str, Any]) -> Dialect:
    """Swagger 2.0, OpenAPI 3.0, or 3.1 (which also reads later 3.x: they keep 3.1's JSON Schema)."""
    if "swagger" in document:
        return "2.0"
    version = document.get("openapi")
    return "3.1" if isinstance(version, str) and not version.startswith("3.0") else "3.0"
