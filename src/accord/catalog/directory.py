"""The service directory: services with their main branch, latest version, labels and repository, and the
rules for keeping those (create-or-return, replace, merge-or-create; labels that create the service)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.repository import ServiceRepository
from accord.catalog.schemas import ServiceCreate, ServiceFields, ServiceLabel, ServiceOverview, ServiceUpdate
from accord.catalog.service import ServiceCatalog
from accord.catalog.service_label_repository import ServiceLabelRepository
from accord.db.counted_rows import Counted
from accord.db.engine import get_engine
from accord.errors import Conflict, NotFound
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId

# The catalog's own fields; the repository's name and namespace are set beside them.
_CATALOG_FIELDS = ("display_name", "repository_url", "main_branch")
_REPOSITORY_FIELDS = ("repository_name", "repository_namespace")

# In a class with a `list` method, `list[...]` in annotations would name the method.
Names = list[str]


class ServiceDirectory:
    """A tenant's services as a directory lists them."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.services = ServiceRepository(tenant)
        self.labels = ServiceLabelRepository(tenant)

    async def find(self, name: str) -> ServiceOverview | None:
        return await self.services.overview(name)

    async def get(self, name: str) -> ServiceOverview:
        found = await self.services.overview(name)
        if found is None:
            raise NotFound(f"No service named '{name}'.")
        return found

    async def list(self, *, limit: int, cursor: str | None, search: str | None) -> Page[ServiceOverview]:
        """By name; `search` matches names and display names, case-insensitively."""
        after = decode_cursor(cursor, str)
        rows = await self.services.overview_page(limit=limit + 1, after=after[0] if after else None, search=search)
        return page_of(rows, limit, lambda row: row, lambda item: (item.name,))

    async def list_numbered(self, *, page: int, size: int, search: str | None) -> NumberedPage[ServiceOverview]:
        """Page `page` (from 1) of `size`, by name."""

        async def fetch(limit: int, offset: int) -> Counted[ServiceOverview]:
            return await self.services.overview_numbered_page(limit=limit, offset=offset, search=search)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: row)

    async def create(self, name: str, fields: ServiceFields) -> tuple[ServiceOverview, bool]:
        """The new service, or the existing one of that name unchanged; True if new."""
        values = {field: _given(getattr(fields, field)) for field in _CATALOG_FIELDS}
        try:
            async with get_engine().transaction():
                await self.catalog.create_service(ServiceCreate(name=name, **values))
                await self.services.set_repository(name, _repository(fields, clear=True))
        except Conflict:
            return await self.get(name), False
        return await self.get(name), True

    async def replace(self, name: str, fields: ServiceFields) -> ServiceOverview:
        """Every field not given is cleared; NotFound for an unknown service."""
        async with get_engine().transaction():
            await self.catalog.update_service(
                name, ServiceUpdate(**{field: _given(getattr(fields, field)) for field in _CATALOG_FIELDS})
            )
            await self.services.set_repository(name, _repository(fields, clear=True))
        return await self.get(name)

    async def merge(self, name: str, fields: ServiceFields) -> tuple[ServiceOverview, bool]:
        """The given fields change (null clears); an unknown service is created. True if new."""
        given = {field: getattr(fields, field) for field in _CATALOG_FIELDS}
        async with get_engine().transaction():
            created = await self.catalog.ensure_service_created(name)
            await self.catalog.update_service(
                name, ServiceUpdate(**{key: value for key, value in given.items() if value is not msgspec.UNSET})
            )
            await self.services.set_repository(name, _repository(fields, clear=False))
        return await self.get(name), created

    async def delete(self, name: str) -> None:
        """Removes the service with everything of it: versions, contracts, verifications, deployments."""
        await self.catalog.delete_service(name, cascade=True)

    # Labels ------------------------------------------------------------------------------------------------

    async def label(self, service: str, label: str) -> tuple[ServiceLabel, bool]:
        """Label a service (creating it as needed); True if the label is new."""
        async with get_engine().transaction():
            await self.catalog.ensure_service_created(service)
            service_id = await self.catalog.service_id(service)
            created = await self.labels.add(service_id, label)
        found = await self.labels.get(service_id, label)
        if found is None:
            raise NotFound(f"Service '{service}' has no label '{label}'.")  # removed meanwhile
        return found, created

    async def find_id(self, name: str) -> UUID | None:
        try:
            return await self.catalog.service_id(name)
        except NotFound:
            return None

    async def label_of(self, service_id: UUID, label: str) -> ServiceLabel | None:
        return await self.labels.get(service_id, label)

    async def unlabel(self, service_id: UUID, label: str) -> bool:
        """False if the service had no such label."""
        return await self.labels.remove(service_id, label)

    async def labelled(self, label: str, *, page: int | None, size: int) -> NumberedPage[ServiceOverview]:
        """Those with the label, by name: page `page` (from 1) of `size`."""

        async def fetch(limit: int, offset: int) -> Counted[ServiceOverview]:
            return await self.services.labelled_overview_page(label, limit=limit, offset=offset)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: row)

    async def labelled_names(self, label: str) -> Names:
        """Names of the services with the label (selectors that name a label, e.g. the matrix's ignore)."""
        return await self.labels.labelled_names(label)


def _repository(fields: ServiceFields, *, clear: bool) -> dict[str, str | None]:
    """The repository fields to set: every one (unset ones cleared) or only those given."""
    values = {field: getattr(fields, field) for field in _REPOSITORY_FIELDS}
    return {field: _given(value) for field, value in values.items() if clear or value is not msgspec.UNSET}


def _given(value: Any) -> Any:
    return None if value is msgspec.UNSET else value
