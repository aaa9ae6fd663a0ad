"""Environments by id, as the Pact API addresses them (`/environments/{uuid}`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.environments.repository import ENVIRONMENT_COLUMNS
from tables.environments import Environment


class PactEnvironmentRepository(TenantRepository[Environment]):
    """A tenant's environments, by id."""

    table = Environment

    async def get(self, environment_id: UUID) -> dict[str, Any] | None:
        row: dict[str, Any] | None = (
            await self.select(*ENVIRONMENT_COLUMNS).where(Environment.id == environment_id).first()
        )
        return row

    async def lock(self, environment_id: UUID, *, exclusive: bool) -> str | None:
        """Name of the environment, locked until the transaction ends: shared keeps it from being renamed or
        deleted meanwhile, exclusive also from concurrent replacements."""
        mode = "UPDATE" if exclusive else "SHARE"
        rows = await self.fetch(
            f"SELECT name FROM environment WHERE tenant = $1 AND id = $2 FOR {mode}",
            environment_id,
        )
        return str(rows[0]["name"]) if rows else None

    async def name_taken(self, name: str, *, other_than: UUID) -> bool:
        found: bool = await self.exists().where((Environment.name == name) & (Environment.id != other_than))
        return found

    async def set_contacts(self, environment_id: UUID, contacts: list[dict[str, Any]]) -> None:
        await self.fetch(
            "UPDATE environment SET contacts = $3::jsonb WHERE tenant = $1 AND id = $2",
            environment_id,
            msgspec.json.encode(contacts).decode(),
        )

    async def contacts_of(self, environment_ids: list[UUID]) -> dict[UUID, list[dict[str, Any]]]:
        rows = await self.fetch(
            "SELECT id, contacts::text AS contacts FROM environment WHERE tenant = $1 AND id = ANY($2::uuid[])",
            environment_ids,
        )
        return {UUID(str(row["id"])): msgspec.json.decode(row["contacts"]) for row in rows}

    async def replace(self, environment_id: UUID, *, name: str, display_name: str | None, production: bool) -> None:
        await self.update(
            {Environment.name: name, Environment.display_name: display_name, Environment.production: production}
        ).where(Environment.id == environment_id)
