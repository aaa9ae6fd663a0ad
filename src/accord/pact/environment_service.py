"""Environments as the Pact API addresses them: by id (a PUT replaces one and may rename it; a DELETE takes
its deployment and release history with it, as the broker's does)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

import msgspec

from accord.db.engine import get_engine
from accord.environments.schemas import Environment, EnvironmentCreate
from accord.environments.service import EnvironmentService
from accord.errors import Conflict, NotFound
from accord.http.pagination import Page
from accord.pact.environment_repository import PactEnvironmentRepository
from accord.pact.environment_schemas import EnvironmentFields
from accord.tenancy.ids import TenantId

# In a class with a `list` method, `list[...]` in annotations would name the method.
Contacts = list[dict[str, Any]]


class PactEnvironmentService:
    """A tenant's environments, by id."""

    def __init__(self, tenant: TenantId) -> None:
        self.environments = EnvironmentService(tenant)
        self.by_id = PactEnvironmentRepository(tenant)

    async def list(self, *, limit: int, cursor: str | None, name: str | None) -> Page[Environment]:
        """By name; `name` picks the one environment of that name (the broker's lookup)."""
        if name is None:
            return await self.environments.list(limit=limit, cursor=cursor, production=None)
        try:
            return Page(items=[await self.environments.get(name)])
        except NotFound:
            return Page(items=[])

    async def create(self, data: EnvironmentFields) -> Environment:
        """Conflict if the name is taken."""
        async with get_engine().transaction():
            created = await self.environments.create(
                EnvironmentCreate(name=data.name, display_name=data.display_name, production=data.production)
            )
            await self.by_id.set_contacts(created.id, _contacts(data))
        return created

    async def contacts_of(self, environments: Sequence[Environment]) -> dict[UUID, Contacts]:
        """The contacts of each environment, as given (the broker's are free-form)."""
        return await self.by_id.contacts_of([environment.id for environment in environments])

    async def get(self, environment_id: UUID) -> Environment:
        row = await self.by_id.get(environment_id)
        if row is None:
            raise NotFound(f"No environment with id {environment_id}.")
        return msgspec.convert(row, Environment)

    async def get_named(self, name: str) -> Environment:
        return await self.environments.get(name)

    async def name_of(self, environment_id: UUID) -> str:
        """Call inside the transaction that records to the environment: it stays as named until then."""
        name = await self.by_id.lock(environment_id, exclusive=False)
        if name is None:
            raise NotFound(f"No environment with id {environment_id}.")
        return name

    async def replace(self, environment_id: UUID, data: EnvironmentFields) -> Environment:
        async with get_engine().transaction():
            if await self.by_id.lock(environment_id, exclusive=True) is None:
                raise NotFound(f"No environment with id {environment_id}.")
            if await self.by_id.name_taken(data.name, other_than=environment_id):
                raise Conflict(f"Another environment is named '{data.name}'.")
            await self.by_id.replace(
                environment_id, name=data.name, display_name=data.display_name, production=data.production
            )
            await self.by_id.set_contacts(environment_id, _contacts(data))
        return await self.get(environment_id)

    async def delete(self, environment_id: UUID) -> None:
        """With the deployments and releases recorded to it."""
        async with get_engine().transaction():
            name = await self.by_id.lock(environment_id, exclusive=True)
            if name is None:
                raise NotFound(f"No environment with id {environment_id}.")
            await self.environments.delete(name, cascade=True)


def _contacts(data: EnvironmentFields) -> list[dict[str, Any]]:
    return [msgspec.to_builtins(contact) for contact in data.contacts]
