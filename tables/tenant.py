"""The tenant: the unit of isolation. Every other table of Accord's hangs off one."""

from __future__ import annotations

from piccolo.columns import UUID, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.readable import Readable
from piccolo.table import Table

from tables.defaults import utc_now


class Tenant(Table, help_text="An organisation whose data Accord keeps apart from every other's."):
    id = UUID(primary_key=True)
    name = Varchar(length=200, null=False, help_text="Display name, e.g. 'Acme Corp'.")
    slug = Varchar(
        length=63, unique=True, null=False, help_text="Short unique identifier used by the CLI, e.g. 'acme'."
    )
    created_at = Timestamptz(default=TimestamptzNow(), help_text="When the tenant was created.")
    updated_at = Timestamptz(default=TimestamptzNow(), auto_update=utc_now, help_text="When it last changed.")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.slug])
