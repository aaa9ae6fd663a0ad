"""Per-item validation of a batch: each item is checked on its own and its errors carry a JSON pointer."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from accord.errors import FieldError
from accord.interactions.prepared import PreparedInteraction, UnstorableValue, prepare
from accord.interactions.schemas import InteractionCreate
from accord.openapi import json_pointers

# msgspec's messages end with "- at `$.request.query[...][0]`" when the problem is below the top level.
_LOCATION = re.compile(r"^(?P<detail>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]|\[\.\.\.\]")
_NAMED_FIELD = re.compile(r"^Object (?:missing required|contains unknown) field `(?P<name>[^`]*)`")


def error_pointer(message: str) -> tuple[str, str]:
    """(detail, pointer relative to the validated value) of a msgspec ValidationError message.

    Dict keys are not named by msgspec (`[...]`), so the pointer stops at the dict; a missing or unknown
    field points at the field itself.
    """
    match = _LOCATION.match(message)
    detail, path = (match.group("detail"), match.group("path") or "") if match else (message, "")
    tokens: list[str] = []
    for part in _PATH_PART.finditer(path):
        if part.group(0) == "[...]":
            break
        tokens.append(json_pointers.escape(part.group(1) or part.group(2)))
    named = _NAMED_FIELD.match(detail)
    if named:
        tokens.append(json_pointers.escape(named.group("name")))
    return detail, "".join(f"/{token}" for token in tokens)


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
