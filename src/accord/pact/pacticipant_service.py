"""Pacticipants with the Pact Broker's semantics (create-or-return, replace, merge-or-create, delete all),
over Accord's service catalog."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.catalog.schemas import ServiceCreate, ServiceUpdate
from accord.catalog.service import ServiceCatalog
from accord.db.engine import get_engine
from accord.errors import Conflict, NotFound
from accord.http.pagination import Page, decode_cursor, encode_cursor
from accord.pact.catalog_schemas import DeployedTo, Pacticipant, PacticipantCreate, PacticipantFields
from accord.pact.numbered_pages import NumberedPage, fetch_numbered
from accord.pact.pacticipant_repository import PactPacticipantRepository
from accord.tenancy.ids import TenantId

_STORED_FIELDS = ("display_name", "repository_url", "main_branch")
# Kept by the Pact API beside the catalog's fields.
_REPOSITORY_FIELDS = ("repository_name", "repository_namespace")


class PactPacticipantService:
    """A tenant's pacticipants, i.e. its services."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.pacticipants = PactPacticipantRepository(tenant)

    async def get(self, name: str) -> Pacticipant:
        row = await self.pacticipants.get(name)
        if row is None:
            raise NotFound(f"No pacticipant named '{name}'.")
        return msgspec.convert(row, Pacticipant)

    async def current_deployments(self, name: str) -> list[DeployedTo]:
        rows = await self.pacticipants.current_deployments(await self.catalog.service_id(name))
        return [msgspec.convert(row, DeployedTo) for row in rows]

    async def list(self, *, limit: int, cursor: str | None, search: str | None) -> Page[Pacticipant]:
        after = decode_cursor(cursor, str)
        rows = await self.pacticipants.list_page(limit=limit + 1, after=after[0] if after else None, search=search)
        items = [msgspec.convert(row, Pacticipant) for row in rows[:limit]]
        return Page(items=items, next_cursor=encode_cursor(items[-1].name) if len(rows) > limit else None)

    async def list_numbered(self, *, page: int, size: int, search: str | None) -> NumberedPage[Pacticipant]:
        """Page `page` (from 1) of `size`, as the broker numbers them."""

        async def fetch(limit: int, offset: int) -> list[dict[str, Any]]:
            return await self.pacticipants.list_numbered_page(limit=limit, offset=offset, search=search)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: msgspec.convert(row, Pacticipant))

    async def create(self, data: PacticipantCreate) -> tuple[Pacticipant, bool]:
        """The new pacticipant, or the existing one of that name unchanged (the broker's POST); True if new."""
        values = {field: _given(getattr(data, field)) for field in _STORED_FIELDS}
        try:
            async with get_engine().transaction():
                await self.catalog.create_service(ServiceCreate(name=data.name, **values))
                await self.pacticipants.set_repository(data.name, _repository(data, clear=True))
        except Conflict:
            return await self.get(data.name), False
        return await self.get(data.name), True

    async def replace(self, name: str, data: PacticipantFields) -> Pacticipant:
        """PUT: every field not given is cleared; NotFound for an unknown pacticipant."""
        async with get_engine().transaction():
            await self.catalog.update_service(
                name, ServiceUpdate(**{field: _given(getattr(data, field)) for field in _STORED_FIELDS})
            )
            await self.pacticipants.set_repository(name, _repository(data, clear=True))
        return await self.get(name)

    async def merge(self, name: str, data: PacticipantFields) -> tuple[Pacticipant, bool]:
        """PATCH: the given fields change (null clears); an unknown pacticipant is created. True if new."""
        given = {field: getattr(data, field) for field in _STORED_FIELDS if getattr(data, field) is not msgspec.UNSET}
        async with get_engine().transaction():
            created = await self.catalog.ensure_service_created(name)
            await self.catalog.update_service(name, ServiceUpdate(**given))
            await self.pacticipants.set_repository(name, _repository(data, clear=False))
        return await self.get(name), created

    async def delete(self, name: str) -> None:
        """Removes the pacticipant with everything of it: versions, contracts, verifications, deployments."""
        await self.catalog.delete_service(name, cascade=True)


def _repository(data: PacticipantFields, *, clear: bool) -> dict[str, str | None]:
    """The repository fields to set: every one (unset ones cleared) or only those given."""
    values = {field: getattr(data, field) for field in _REPOSITORY_FIELDS}
    return {field: _given(value) for field, value in values.items() if clear or value is not msgspec.UNSET}


def _given(value: Any) -> Any:
    return None if value is msgspec.UNSET else value
