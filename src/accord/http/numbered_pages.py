"""The broker's numbered pages (`page` from 1, `size`), read with LIMIT/OFFSET and a window count."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Generic, TypeVar

import msgspec
from litestar.params import QueryParameter

from accord.db.counted_rows import Counted

T = TypeVar("T")
R = TypeVar("R")

# Bounded so that OFFSET stays a number PostgreSQL takes (page * size fits a bigint) and a forged page number
# costs no more than the last real one.
PageQuery = Annotated[int | None, QueryParameter(ge=1, le=1_000_000, description="Page number, from 1.")]


class NumberedPage(msgspec.Struct, Generic[T], kw_only=True):
    """One page as the broker numbers them, with the count of all items (for `totalElements`)."""

    items: list[T]
    number: int
    size: int
    total: int
    # False when the client asked for no page and got the first: rendered without the `page` object and with a
    # bare `self`, as the broker renders an unpaged list (these lists are still bounded here).
    asked: bool = True

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size)


# A repository's page query: (limit, offset) -> the rows and the count of every matching row (accord.db.counted_rows),
# so that a page costs one statement.
PageFetch = Callable[[int, int], Awaitable[Counted[R]]]


async def fetch_numbered(
    fetch: PageFetch[R], *, number: int | None, size: int, item: Callable[[R], T]
) -> NumberedPage[T]:
    """Page `number` of `size` items (no number: the first); a page past the end is empty but still says how
    many there are."""
    asked, number = number is not None, number or 1
    rows = await fetch(size, (number - 1) * size)
    total = rows.total
    if not rows.items and number > 1:
        # No row carries the count past the end: the first row of page 1 does.
        total = (await fetch(1, 0)).total
    items = [item(row) for row in rows.items]
    return NumberedPage(items=items, number=number, size=size, total=total, asked=asked)
