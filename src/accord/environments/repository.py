"""Queries of environments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.environments.schemas import Contact
from accord.environments.schemas import Environment as EnvironmentRow
from tables.environments import Environment

ENVIRONMENT_COLUMNS = (
    Environment.id,
    Environment.name,
    Environment.display_name,
    Environment.production,
    Environment.created_at,
    Environment.updated_at,
)


class EnvironmentRepository(TenantRepository[Environment]):
    """A tenant's deployment targets."""

    table = Environment

    async def create(self, name: str, display_name: str | None, production: bool) -> UUID | None:
        """Id of the environment created (None: the name is taken)."""
        rows = await self.fetch(
            "INSERT INTO environment (tenant, name, display_name, production) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (tenant, name) DO NOTHING RETURNING id",
            name,
            display_name,
            production,
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def ensure_all(self, names: list[str]) -> None:
        """Create the named environments that are missing, in one statement; in name order, so two uploads
        creating the same new names wait on each other in the same order and can't deadlock."""
        await self.execute(
            "INSERT INTO environment (tenant, name) SELECT $1, n FROM unnest($2::text[]) AS n ORDER BY n "
            "ON CONFLICT (tenant, name) DO NOTHING",
            names,
        )

    async def ensure(self, name: str) -> UUID | None:
        """Id of the named environment, creating it if missing, and key-share locked until the transaction ends.

        The lock keeps a concurrent delete from removing the row between this read and the caller's insert of
        a row referencing it (a foreign-key violation otherwise). None means such a delete committed between
        the two statements; the caller tries again.
        """
        await self.execute(
            "INSERT INTO environment (tenant, name) VALUES ($1, $2) ON CONFLICT (tenant, name) DO NOTHING", name
        )
        # A separate statement: a fresh snapshot sees the row a concurrent transaction just committed.
        rows = await self.fetch("SELECT id FROM environment WHERE tenant = $1 AND name = $2 FOR KEY SHARE", name)
        return UUID(str(rows[0]["id"])) if rows else None

    async def get_by_name(self, name: str) -> EnvironmentRow | None:
        row = await self.select(*ENVIRONMENT_COLUMNS).where(Environment.name == name).first()
        return None if row is None else msgspec.convert(row, EnvironmentRow)

    async def get_by_id(self, environment_id: UUID) -> EnvironmentRow | None:
        row = await self.select(*ENVIRONMENT_COLUMNS).where(Environment.id == environment_id).first()
        return None if row is None else msgspec.convert(row, EnvironmentRow)

    async def lock_by_name(self, name: str) -> UUID | None:
        """Id of the named environment, locked against concurrent use until the transaction ends."""
        rows = await self.fetch("SELECT id FROM environment WHERE tenant = $1 AND name = $2 FOR UPDATE", name)
        return UUID(str(rows[0]["id"])) if rows else None

    async def lock_by_id(self, environment_id: UUID, *, exclusive: bool) -> str | None:
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

    async def update_by_name(self, name: str, values: dict[str, Any]) -> None:
        if values:
            await self.update({getattr(Environment, key): value for key, value in values.items()}).where(
                Environment.name == name
            )

    async def replace(self, environment_id: UUID, *, name: str, display_name: str | None, production: bool) -> None:
        await self.update(
            {Environment.name: name, Environment.display_name: display_name, Environment.production: production}
        ).where(Environment.id == environment_id)

    async def set_contacts(self, environment_id: UUID, contacts: Sequence[Contact]) -> None:
        await self.fetch(
            "UPDATE environment SET contacts = $3::jsonb WHERE tenant = $1 AND id = $2",
            environment_id,
            msgspec.json.encode(contacts).decode(),
        )

    async def contacts_of(self, environment_ids: list[UUID]) -> dict[UUID, list[Contact]]:
        rows = await self.fetch(
            "SELECT id, contacts::text AS contacts FROM environment WHERE tenant = $1 AND id = ANY($2::uuid[])",
            environment_ids,
        )
        return {UUID(str(row["id"])): msgspec.json.decode(row["contacts"], type=list[Contact]) for row in rows}

    async def list_page(self, *, limit: int, after: str | None, production: bool | None) -> list[EnvironmentRow]:
        query = self.select(*ENVIRONMENT_COLUMNS).order_by(Environment.name).limit(limit)
        if after is not None:
            query = query.where(Environment.name > after)
        if production is not None:
            query = query.where(Environment.production == production)
        return msgspec.convert(await query, list[EnvironmentRow])

    async def list_all(self) -> list[EnvironmentRow]:
        """Every environment, by name."""
        return msgspec.convert(await self.select(*ENVIRONMENT_COLUMNS).order_by(Environment.name), list[EnvironmentRow])

    async def reference_counts(self, environment_id: UUID) -> dict[str, int]:
        """Deployments and releases (current or past) recorded to the environment."""
        rows = await self.fetch(
            "SELECT "
            "(SELECT count(*) FROM deployment WHERE tenant = $1 AND environment = $2) AS deployments, "
            "(SELECT count(*) FROM release WHERE tenant = $1 AND environment = $2) AS releases",
            environment_id,
        )
        return {key: int(value) for key, value in rows[0].items() if value}

    async def delete_by_id(self, environment_id: UUID) -> None:
        await self.delete().where(Environment.id == environment_id)
