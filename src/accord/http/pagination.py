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


def page_of_rows(rows: Sequence[R], limit: int, items: list[T], cursor_of: Callable[[R], tuple[Any, ...]]) -> Page[T]:
    """page_of for items that do not carry their sort key, or that are made from the page's rows all at once:
    `items` are made from `rows[:limit]`, and the cursor carries the last of those rows' sort key."""
    return Page(items=items, next_cursor=encode_cursor(*cursor_of(rows[limit - 1])) if len(rows) > limit else None)


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(msgspec.json.encode(list(values))).decode().rstrip("=")


# Cursors this API writes are a few keys long; anything much longer was forged, and a bound here also bounds
# the decoder's work (a deeply nested array needs two bytes per level).
MAX_CURSOR_LENGTH = 512
# Cursor integers are positions and priorities, which PostgreSQL holds as bigint.
_Int64 = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]


def _cursor_value(value: Any, kind: Any) -> Any:
    if kind is int:
        return msgspec.convert(value, _Int64)
    converted = msgspec.convert(value, kind)
    if isinstance(converted, str) and "\x00" in converted:
        raise ValueError("NUL character")
    return converted


def decode_cursor(cursor: str | None, *types: Any) -> tuple[Any, ...] | None:
    """The values a previous page's cursor carried, as `types` (types msgspec converts to, unions too);
    InvalidInput if it was tampered with."""
    if cursor is None:
        return None
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = msgspec.json.decode(raw, type=list[Any])
        if len(values) != len(types):
            raise ValueError("wrong arity")
        return tuple(_cursor_value(value, kind) for value, kind in zip(values, types, strict=True))
    except (ValueError, RecursionError, binascii.Error, msgspec.ValidationError, msgspec.DecodeError):
        raise InvalidInput(
            "The cursor is not valid.",
            errors=[FieldError(detail="not a cursor from this API", parameter="cursor")],
        ) from None
