"""Keyset pagination: a stable order and an opaque cursor, so pages never skip or repeat rows under writes."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from accord.errors import FieldError, InvalidInput

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# Query parameters of every list endpoint.
LimitQuery = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
CursorQuery = Annotated[str | None, QueryParameter(description="`next_cursor` of the previous page.")]


class Page(msgspec.Struct, Generic[T], kw_only=True):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(list(values))).decode().rstrip("=")


def decode_cursor(cursor: str | None, *types: type[Any]) -> tuple[Any, ...] | None:
    """The values a previous page's cursor carried, as `types`; InvalidInput if it was tampered with."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = msgspec.json.decode(raw, type=list[Any])
        if len(values) != len(types):
            raise ValueError("wrong arity")
        return tuple(msgspec.convert(value, kind) for value, kind in zip(values, types, strict=True))
    except (ValueError, binascii.Error, msgspec.ValidationError, msgspec.DecodeError):
        raise InvalidInput(
            "The cursor is not valid.",
            errors=[FieldError(detail="not a cursor from this API", parameter="cursor")],
        ) from None
