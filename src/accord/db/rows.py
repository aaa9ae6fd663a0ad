"""Typed rows: what repositories hand to services instead of dicts, so mypy checks every column a service reads.

A row type is a msgspec Struct whose fields are the statement's columns (named as the SQL names them, `AS`
included). Converting checks each row against it, so a column renamed in SQL without its row type fails the
first test that reads it, not a service later with a KeyError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import GenericAlias
from typing import Any, TypeVar

import msgspec

StructT = TypeVar("StructT", bound=msgspec.Struct)


def rows_as(row_type: type[StructT], rows: Iterable[Mapping[str, Any]]) -> list[StructT]:
    """Rows as `row_type`; a column the type lacks is ignored, a field without a column is an error."""
    # One convert call for the whole list (faster than one per row); GenericAlias is list[row_type] spelled so
    # that mypy accepts a type variable's value in it.
    converted: list[StructT] = msgspec.convert(
        [row if isinstance(row, dict) else dict(row) for row in rows], GenericAlias(list, (row_type,))
    )
    return converted


def row_as(row_type: type[StructT], row: Mapping[str, Any] | None) -> StructT | None:
    """One row as `row_type`; None stays None (no such row)."""
    return None if row is None else msgspec.convert(row if isinstance(row, dict) else dict(row), row_type)
