"""Per-item validation of a batch: each item is checked on its own and its errors carry a JSON pointer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from accord.errors import FieldError
from accord.http.validation_errors import error_pointer
from accord.interactions.prepared import PreparedInteraction, UnstorableValue, prepare
from accord.interactions.schemas import InteractionCreate


def prepare_items(
    items: Sequence[Any], pointer: str = "/items"
) -> tuple[list[tuple[int, PreparedInteraction]], dict[int, FieldError]]:
    """Validate and prepare every item; returns the good ones with their index, and an error per bad index."""
    good: list[tuple[int, PreparedInteraction]] = []
    errors: dict[int, FieldError] = {}
    convert, validation_error = msgspec.convert, msgspec.ValidationError
    for index, raw in enumerate(items):
        try:
            good.append((index, prepare(convert(raw, InteractionCreate))))
        except validation_error as exc:
            detail, relative = error_pointer(str(exc))
            errors[index] = FieldError(detail=detail, pointer=f"{pointer}/{index}{relative}")
        except UnstorableValue as exc:
            errors[index] = FieldError(detail=exc.detail, pointer=f"{pointer}/{index}{exc.pointer}")
    return good, errors
