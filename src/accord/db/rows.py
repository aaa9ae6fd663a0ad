"""Typed rows: what repositories hand to services instead of dicts, so mypy checks every column a service reads.

A row type is a msgspec Struct whose fields are the statement's columns (named as the SQL names them, `AS`
included). Converting checks each row against it, so a column renamed in SQL without its row type fails the
first test that reads it, not a service later with a KeyError.

Records convert cheapest when the statement names its columns in the order of the type's fields (records_as):
each record is then read as an array of its values, which costs less than making a dict of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import GenericAlias
from typing import Any, TypeVar

import asyncpg
import msgspec

StructT = TypeVar("StructT", bound=msgspec.Struct)


class Row(msgspec.Struct, frozen=True, kw_only=True):
    """Base of the row types repositories hand to services.

    A Row never leaves the service that reads it: it is never encoded nor returned to a client. That is what
    lets records_as read it as the array of a record's values (an API Struct read from rows must not be a Row:
    it would encode as an array)."""


# msgspec rebuilds what it knows of a `list[...]` type for each new alias object: one alias per row type.
_LISTS: dict[type[Any], Any] = {}


class _Positional:
    """A row type's subclass declared `array_like` (which reads a row from the array of its values), and the
    list type of each."""

    __slots__ = ("items", "one")

    def __init__(self, row_type: type[Any]) -> None:
        self.one: type[Any] = type(row_type.__name__, (row_type,), {"__module__": row_type.__module__}, array_like=True)
        self.items: Any = GenericAlias(list, (self.one,))


_POSITIONAL: dict[type[Any], _Positional] = {}


def _list_of(row_type: type[Any]) -> Any:
    alias = _LISTS.get(row_type)
    if alias is None:
        alias = _LISTS[row_type] = GenericAlias(list, (row_type,))
    return alias


def rows_as(row_type: type[StructT], rows: Iterable[Mapping[str, Any]]) -> list[StructT]:
    """Rows as `row_type`; a column the type lacks is ignored, a field without a column is an error."""
    # One convert call for the whole list (faster than one per row).
    converted: list[StructT] = msgspec.convert(
        [row if isinstance(row, dict) else dict(row) for row in rows], _list_of(row_type)
    )
    return converted


def row_as(row_type: type[StructT], row: Mapping[str, Any] | None) -> StructT | None:
    """One row as `row_type`; None stays None (no such row)."""
    return None if row is None else msgspec.convert(row if isinstance(row, dict) else dict(row), row_type)


def records_as(row_type: type[StructT], records: Sequence[asyncpg.Record]) -> list[StructT]:
    """asyncpg records as `row_type`, like rows_as.

    When `row_type` is a Row and the statement's columns are its fields, in order, each record converts as the
    array of its values into a subclass of `row_type` declared `array_like`: a quarter of the cost of a dict per
    record for a matrix row of 28 columns (can-i-deploy reads pages of them). Other statements (columns in
    another order, or more columns than fields) and other types convert as rows_as does.
    """
    if not records:
        return []
    if not issubclass(row_type, Row) or tuple(records[0].keys()) != row_type.__struct_fields__:
        return rows_as(row_type, [dict(record) for record in records])
    positional = _POSITIONAL.get(row_type)
    if positional is None:
        positional = _POSITIONAL[row_type] = _Positional(row_type)
    if len(records) == 1:  # a lookup by key (the cheap read): converting a list costs a few microseconds more
        return [msgspec.convert(tuple(records[0]), positional.one)]
    converted: list[StructT] = msgspec.convert([tuple(record) for record in records], positional.items)
    return converted


def record_as(row_type: type[StructT], record: asyncpg.Record | None) -> StructT | None:
    """One asyncpg record (fetchrow's) as `row_type`; None stays None (no such row)."""
    return None if record is None else records_as(row_type, [record])[0]
