"""TenantRepository: the one place that scopes queries of tenant-owned tables to a tenant."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

import asyncpg
from piccolo.query import Count, Delete, Exists, Insert, Objects, Select, Update

from accord.db.engine import connection
from accord.db.row_security import act_for, writes
from accord.db.rows import StructT, records_as
from accord.tenant_ids import TenantId
from tables.base import TenantTable

RowT = TypeVar("RowT", bound=TenantTable)


class TenantRepository(Generic[RowT]):
    """Every query built here is filtered by the tenant; every row inserted here belongs to it.

    Subclasses name their table and add the resource's queries on top of these builders; they never call
    the table's query methods themselves (tests/test_tenant_scoping.py enforces this for all of src/).
    """

    table: ClassVar[type[TenantTable]]

    def __init__(self, tenant: TenantId) -> None:
        self.tenant = tenant

    def _scoped(self) -> Any:
        # Row security's setting too (accord.db.row_security): the policies then agree with this filter.
        act_for(self.tenant)
        return self.table.tenant == self.tenant

    def select(self, *columns: Any) -> Select[Any]:
        return self.table.select(*columns).where(self._scoped())

    def objects(self) -> Objects[Any]:
        return self.table.objects().where(self._scoped())

    def count(self) -> Count:
        return self.table.count().where(self._scoped())

    def exists(self) -> Exists[Any]:
        return self.table.exists().where(self._scoped())

    def update(self, values: dict[Any, Any]) -> Update[Any]:
        return self.table.update(values).where(self._scoped())

    def delete(self) -> Delete:
        return self.table.delete().where(self._scoped())

    def insert(self, *rows: dict[str, Any]) -> Insert[Any]:
        """Insert rows given as {column name: value}; the tenant is always this repository's."""
        act_for(self.tenant)
        return self.table.insert(*(self.table(**{**row, "tenant": self.tenant}) for row in rows))

    async def fetch(self, sql: str, *args: Any) -> list[dict[str, Any]]:
        """Raw SQL for what the builders can't say (set-based writes, CTEs). `$1` is always the tenant and the
        statement must use it; the caller's arguments are `$2` onwards. Joins the current transaction."""
        return [dict(record) for record in await self.fetch_records(sql, *args)]

    async def fetch_as(self, row_type: type[StructT], sql: str, *args: Any) -> list[StructT]:
        """Like fetch, each row as `row_type` (accord.db.rows): services then read attributes mypy checks.
        Naming the columns in the order of the type's fields makes the conversion cheapest (records_as)."""
        return records_as(row_type, await self.fetch_records(sql, *args))

    async def fetch_one(self, row_type: type[StructT], sql: str, *args: Any) -> StructT | None:
        """The first row of fetch_as, or None when there is none."""
        rows = await self.fetch_as(row_type, sql, *args)
        return rows[0] if rows else None

    async def fetch_records(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """The records of a raw statement, as asyncpg returns them: fetch and fetch_as both run theirs here."""
        _require_tenant_parameter(sql)
        act_for(self.tenant)
        async with connection(for_writes=writes(sql)) as conn:
            records: list[asyncpg.Record] = await conn.fetch(sql, self.tenant, *args)
        return records

    async def execute(self, sql: str, *args: Any) -> str:
        """Like fetch, for statements whose rows are not needed; returns the status ('INSERT 0 5')."""
        _require_tenant_parameter(sql)
        act_for(self.tenant)
        async with connection(for_writes=True) as conn:
            status: str = await conn.execute(sql, self.tenant, *args)
        return status


def _require_tenant_parameter(sql: str) -> None:
    if "$1" not in sql:
        raise ValueError("raw tenant-scoped SQL must filter or stamp rows with the tenant, bound as $1")
