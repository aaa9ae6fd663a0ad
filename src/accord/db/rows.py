"""Typed rows: what repositories hand to services instead of dicts, so mypy checks every column a service reads.

A row type is a msgspec Struct whose fields are the statement's columns (named as the SQL names them, `AS`
included). Converting checks each row against it, so a column renamed in SQL without its row type fails the
first test that reads it, not a service later with a KeyError.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import GenericAlias
from typing import Any, TypeVar

import asyncpg
import msgspec

StructT = TypeVar("StructT", bound=msgspec.Struct)

# Per row type, a subclass that reads a row as an array of its values (see records_as).
_POSITIONAL: dict[type[Any], type[Any]] = {}


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


def records_as(row_type: type[StructT], records: Sequence[asyncpg.Record]) -> list[StructT]:
    """asyncpg records as `row_type`, like rows_as.

    When the statement's columns are the type's fields, in order, the records convert as arrays of their
    values, into a subclass of `row_type` declared `array_like`: a quarter of the cost of making a dict of each
    record and converting those (a matrix row has 28 columns; can-i-deploy reads pages of them). Other
    statements (columns in another order, or more columns than fields) take rows_as's way.
    """
    if not records:
        return []
    if tuple(records[0].keys()) != row_type.__struct_fields__:
        return rows_as(row_type, [dict(record) for record in records])
    positional = _POSITIONAL.get(row_type)
    if positional is None:
        positional = type(row_type.__name__, (row_type,), {"__module__": row_type.__module__}, array_like=True)
        _POSITIONAL[row_type] = positional
    converted: list[StructT] = msgspec.convert([tuple(record) for record in records], GenericAlias(list, (positional,)))
    return converted


def record_as(row_type: type[StructT], record: asyncpg.Record | None) -> StructT | None:
    """One asyncpg record (fetchrow's) as `row_type`; None stays None (no such row)."""
    return None if record is None else records_as(row_type, [record])[0]
