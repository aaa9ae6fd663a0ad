"""The audit log: who changed what, written by triggers in the transaction of the change."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, BigSerial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow

from tables.base import TenantTable


class AuditEntry(TenantTable, help_text="A write to a tenant's data, recorded by a trigger in the same transaction."):
    id = UUID(primary_key=True)
    # Keyset order of the log (ids are random); positions are taken in the writing transaction.
    position = BigSerial(help_text="Order in which entries were written.")
    at = Timestamptz(default=TimestamptzNow(), help_text="When the writing transaction ran.")
    actor = Varchar(length=200, default="", help_text="Who wrote: key:<id>, user:<id>, admin, cli:<os user>, system.")
    action = Varchar(length=16, default="", help_text="insert, update or delete.")
    resource = Varchar(length=64, default="", help_text="The table written, e.g. service, api_key.")
    resource_id = Varchar(length=64, null=True, default=None, help_text="The row's id when one row was written.")
    request_id = Varchar(length=200, null=True, default=None, help_text="The HTTP request that wrote, if any.")
    summary = JSONB(default="{}", help_text="What changed: row count, changed columns, labels (never secrets).")
