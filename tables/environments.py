"""Deployment targets and what is deployed or released to them."""

from __future__ import annotations

from piccolo.columns import JSONB, UUID, Boolean, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.readable import Readable
from piccolo.constraints import Unique

from tables.base import TenantTable
from tables.services import Service, ServiceVersion


class Environment(TenantTable, help_text="Where versions are deployed, e.g. test or production."):
    id = UUID(primary_key=True)
    name = Varchar(length=100, null=False, help_text="Unique within the tenant, e.g. 'production'.")
    display_name = Varchar(length=255, null=True, default=None, help_text="Human-friendly name.")
    production = Boolean(default=False, help_text="Whether this is a production environment.")
    contacts = JSONB(default="[]", help_text="Who to ask about it: [{name, email, details}] (Pact contacts).")

    environment_unique_name = Unique(["tenant", "name"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.name])


class Deployment(TenantTable, help_text="A version deployed to an environment (Pact's deployed version)."):
    id = UUID(primary_key=True)
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="What was deployed.")
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The version's service.")
    environment = ForeignKey(Environment, null=False, on_delete=OnDelete.cascade, help_text="Where.")
    application_instance = Varchar(
        length=255,
        default="",
        help_text="Which instance, when several run side by side ('' for the only one).",
    )
    deployed_at = Timestamptz(default=TimestamptzNow(), help_text="When it was deployed.")
    deployed_by = Varchar(length=255, null=True, default=None, help_text="Who or what deployed it.")
    undeployed_at = Timestamptz(null=True, default=None, help_text="When it was replaced or removed.")
    currently_deployed = Boolean(default=True, help_text="Whether it is still deployed.")


class Release(TenantTable, help_text="A version released to an environment (libraries, mobile apps)."):
    id = UUID(primary_key=True)
    version = ForeignKey(ServiceVersion, null=False, on_delete=OnDelete.cascade, help_text="What was released.")
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The version's service.")
    environment = ForeignKey(Environment, null=False, on_delete=OnDelete.cascade, help_text="Where.")
    released_at = Timestamptz(default=TimestamptzNow(), help_text="When it was released.")
    support_ended_at = Timestamptz(null=True, default=None, help_text="When support for it ended.")
    currently_supported = Boolean(default=True, help_text="Whether it is still supported.")
