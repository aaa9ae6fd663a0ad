"""Typed rows (accord.db.rows): records of a Row convert by position when their columns are its fields in order,
by name otherwise (and any other Struct by name); either way the values are checked against the type."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
import pytest

from accord.db.engine import connection
from accord.db.rows import Row, records_as


class NamedRow(Row, frozen=True, kw_only=True):
    id: uuid.UUID
    name: str
    tags: list[str]
    note: str | None


async def _records(sql: str) -> list[Any]:
    async with connection() as conn:
        return list(await conn.fetch(sql))


_ID = "'0b5e2f8e-8d55-4d1c-9a55-0c8f0a3f8f11'::uuid"


def _fields(row: NamedRow) -> tuple[Any, ...]:
    return (row.id, row.name, row.tags, row.note)


def test_columns_in_field_order(run: Any) -> None:
    rows = records_as(NamedRow, run(_records, f"SELECT {_ID} AS id, 'api' AS name, ARRAY['a'] AS tags, NULL AS note"))
    assert [_fields(row) for row in rows] == [(uuid.UUID(_ID[1:37]), "api", ["a"], None)]
    assert isinstance(rows[0], NamedRow)


def test_many_records_in_field_order(run: Any) -> None:
    rows = records_as(
        NamedRow,
        run(
            _records,
            f"SELECT {_ID} AS id, 'api-' || n AS name, ARRAY[]::text[] AS tags, 'n' AS note "
            "FROM generate_series(1, 3) AS n",
        ),
    )
    assert [row.name for row in rows] == ["api-1", "api-2", "api-3"]
    assert all(row.tags == [] and row.note == "n" for row in rows)


def test_columns_in_another_order_or_more_columns_than_fields(run: Any) -> None:
    rows = records_as(
        NamedRow, run(_records, f"SELECT 'api' AS name, 1 AS extra, NULL AS note, ARRAY['a'] AS tags, {_ID} AS id")
    )
    assert [_fields(row) for row in rows] == [(uuid.UUID(_ID[1:37]), "api", ["a"], None)]


@pytest.mark.parametrize(
    "sql",
    [
        f"SELECT {_ID} AS id, 42 AS name, ARRAY['a'] AS tags, NULL AS note",  # in order
        f"SELECT 42 AS name, {_ID} AS id, ARRAY['a'] AS tags, NULL AS note",  # by name
    ],
)
def test_a_value_of_the_wrong_type_is_an_error(run: Any, sql: str) -> None:
    with pytest.raises(msgspec.ValidationError):
        records_as(NamedRow, run(_records, sql))


class ApiShape(msgspec.Struct, kw_only=True):
    """Not a Row (an API Struct may be read from rows too): it must stay encodable as an object."""

    id: uuid.UUID
    name: str


def test_a_struct_that_is_not_a_row_encodes_as_an_object(run: Any) -> None:
    (row,) = records_as(ApiShape, run(_records, f"SELECT {_ID} AS id, 'api' AS name"))
    assert msgspec.json.decode(msgspec.json.encode(row)) == {"id": _ID[1:37], "name": "api"}


def test_no_records(run: Any) -> None:
    assert records_as(NamedRow, run(_records, f"SELECT {_ID} AS id WHERE false")) == []
