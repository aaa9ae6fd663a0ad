"""Labels of services (the Pact Broker's pacticipant labels), which webhooks and the matrix select by."""

from __future__ import annotations

from piccolo.columns import UUID, ForeignKey, OnDelete, Varchar
from piccolo.columns.readable import Readable
from piccolo.constraints import Unique

from tables.base import TenantTable
from tables.services import Service


class ServiceLabel(TenantTable, help_text="A label on a service, e.g. 'team-payments' (Pact pacticipant labels)."):
    id = UUID(primary_key=True)
    service = ForeignKey(Service, null=False, on_delete=OnDelete.cascade, help_text="The labelled service.")
    name = Varchar(length=255, null=False, help_text="Label name.")

    service_label_unique_name = Unique(["tenant", "service", "name"])

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s:%s", columns=[cls.service.name, cls.name])
