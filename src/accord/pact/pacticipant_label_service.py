"""Pacticipant labels with the Pact Broker's semantics: labelling creates the pacticipant if needed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.db.engine import get_engine
from accord.errors import NotFound
from accord.pact.catalog_schemas import Pacticipant, PacticipantLabel
from accord.pact.numbered_pages import NumberedPage, fetch_numbered
from accord.pact.pacticipant_label_repository import PacticipantLabelRepository
from accord.pact.pacticipant_repository import PactPacticipantRepository
from accord.tenancy.ids import TenantId


class PacticipantLabelService:
    """A tenant's pacticipant labels."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.labels = PacticipantLabelRepository(tenant)
        self.pacticipants = PactPacticipantRepository(tenant)

    async def label(self, pacticipant: str, label: str) -> tuple[PacticipantLabel, bool]:
        """Label a pacticipant (creating it as needed); True if the label is new."""
        async with get_engine().transaction():
            await self.catalog.ensure_service_created(pacticipant)
            created = await self.labels.add(await self.catalog.service_id(pacticipant), label)
        return await self.get(pacticipant, label), created

    async def get(self, pacticipant: str, label: str) -> PacticipantLabel:
        row = await self.labels.get(await self._service_id(pacticipant), label)
        if row is None:
            raise NotFound(f"Pacticipant '{pacticipant}' has no label '{label}'.")
        return msgspec.convert({**row, "pacticipant": pacticipant}, PacticipantLabel)

    async def unlabel(self, pacticipant: str, label: str) -> None:
        if not await self.labels.remove(await self._service_id(pacticipant), label):
            raise NotFound(f"Pacticipant '{pacticipant}' has no label '{label}'.")

    async def labelled(self, label: str, *, page: int | None, size: int) -> NumberedPage[Pacticipant]:
        """Those with the label, by name: page `page` (from 1) of `size`."""

        async def fetch(limit: int, offset: int) -> list[dict[str, Any]]:
            return await self.pacticipants.list_labelled_page(label, limit=limit, offset=offset)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: msgspec.convert(row, Pacticipant))

    async def _service_id(self, pacticipant: str) -> UUID:
        try:
            return await self.catalog.service_id(pacticipant)
        except NotFound:
            raise NotFound(f"No pacticipant named '{pacticipant}'.") from None
