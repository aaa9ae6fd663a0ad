"""Shared table pieces: the tenant-owned base and column types."""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column, ForeignKey, OnDelete, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from tables.defaults import utc_now
from tables.tenant import Tenant


class TenantTable(Table):
    """Base of every tenant-owned table; only accord.db.repository.TenantRepository queries them."""

    tenant = ForeignKey(Tenant, null=False, on_delete=OnDelete.cascade, help_text="The tenant that owns this row.")
    created_at = Timestamptz(default=TimestamptzNow(), help_text="When the row was created.")
    updated_at = Timestamptz(default=TimestamptzNow(), auto_update=utc_now, help_text="When the row last changed.")


class Vector(Column):
    """pgvector's `vector(n)`; values are plain lists of floats (see accord.db.engine's codec)."""

    def __init__(self, dimensions: int, **kwargs: Any) -> None:
        self.dimensions = dimensions
        kwargs.update({"dimensions": dimensions})
        super().__init__(**kwargs)

    @property
    def column_type(self) -> str:
        return f"vector({self.dimensions})"
