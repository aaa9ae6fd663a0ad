"""Keyset pagination: a stable order and an opaque cursor, so pages never skip or repeat rows under writes."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from accord.errors import FieldError, InvalidInput

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# Query parameters of every list endpoint.
LimitQuery = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]
CursorQuery = Annotated[str | None, QueryParameter(description="`next_cursor` of the previous page.")]


class Page(msgspec.Struct, Generic[T], kw_only=True):
    items: list[T]
    next_cursor: str | None = None


def page_of(
    rows: Sequence[R], limit: int, item: Callable[[R], T], cursor_of: Callable[[T], tuple[Any, ...]]
) -> Page[T]:
    """The page from `limit + 1` rows fetched in keyset order: the extra row only says another page exists, and
    the cursor carries the last item's sort key."""
    items = [item(row) for row in rows[:limit]]
    more = len(rows) > limit and items
    return Page(items=items, next_cursor=encode_cursor(*cursor_of(items[-1])) if more else None)


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
