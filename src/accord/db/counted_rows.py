"""Rows of one numbered page with the count of every row that matches, read in one statement."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

from accord.db.rows import StructT, rows_as

T = TypeVar("T")


class Counted(msgspec.Struct, Generic[T], kw_only=True):
    """One page of rows and `total`, the count of all that match (`count(*) OVER ()` on each row)."""

    items: list[T]
    total: int


def counted(rows: list[dict[str, Any]], kind: type[StructT]) -> Counted[StructT]:
    """Rows that each carry `total`, as `kind` (which ignores that column); no row says nothing of the total (0)."""
    total = int(rows[0]["total"]) if rows else 0
    return Counted(items=rows_as(kind, rows), total=total)
