"""Environments: created explicitly or on the first deployment or release to them."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from accord.db.engine import get_engine
from accord.environments.repository import EnvironmentRepository
from accord.environments.schemas import Contact, Environment, EnvironmentCreate, EnvironmentUpdate
from accord.errors import Conflict, NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId

# ensure_environment retries only when a delete of the same environment commits between its two statements;
# running out of attempts takes that name being deleted and recreated again and again meanwhile.
_ENSURE_ATTEMPTS = 3

# In a class with a `list` method, `list[...]` in annotations would name the method.
Environments = list[Environment]


class EnvironmentService:
    """A tenant's environments."""

    def __init__(self, tenant: TenantId) -> None:
        self.environments = EnvironmentRepository(tenant)

    async def ensure_environment(self, name: str) -> UUID:
        """Id of the named environment, created (not production) if missing; race-free.

        Call it inside the transaction that records what references the environment: the row stays locked
        against deletion until that transaction ends.
        """
        for _ in range(_ENSURE_ATTEMPTS):
            environment_id = await self.environments.ensure(name)
            if environment_id is not None:
                return environment_id
        raise Conflict(f"Environment '{name}' is being deleted concurrently; retry.")

    async def ensure_environments(self, names: Sequence[str]) -> None:
        """Create the named environments that are missing (not production); one statement for any number.

        For uploads that only mention an environment by name (a recorded interaction's `environment`), so
        nothing references the row and no lock against a concurrent delete is needed.
        """
        unique = sorted(set(names))
        if unique:
            await self.environments.ensure_all(unique)

    async def environment_id(self, name: str) -> UUID:
        """Id of an existing environment (NotFound otherwise); for reads that must not create anything."""
        return (await self.get(name)).id

    async def create(self, data: EnvironmentCreate, *, contacts: Sequence[Contact] = ()) -> Environment:
        """Conflict if the name is taken."""
        async with get_engine().transaction():
            environment_id = await self.environments.create(data.name, data.display_name, data.production)
            if environment_id is None:
                raise Conflict(f"An environment named '{data.name}' already exists.")
            if contacts:
                await self.environments.set_contacts(environment_id, contacts)
        return await self.get(data.name)

    async def get(self, name: str) -> Environment:
        found = await self.environments.get_by_name(name)
        if found is None:
            raise NotFound(f"No environment named '{name}'.")
        return found

    async def get_by_id(self, environment_id: UUID) -> Environment:
        found = await self.environments.get_by_id(environment_id)
        if found is None:
            raise NotFound(f"No environment with id {environment_id}.")
        return found

    async def contacts_of(self, environments: Sequence[Environment]) -> dict[UUID, list[Contact]]:
        """The contacts of each environment, as given."""
        return await self.environments.contacts_of([environment.id for environment in environments])

    async def hold(self, environment_id: UUID) -> str:
        """Name of the environment, kept from being renamed or deleted until the transaction ends (NotFound if
        gone); call it inside the transaction that records something to the environment."""
        name = await self.environments.lock_by_id(environment_id, exclusive=False)
        if name is None:
            raise NotFound(f"No environment with id {environment_id}.")
        return name

    async def replace(
        self, environment_id: UUID, data: EnvironmentCreate, *, contacts: Sequence[Contact] = ()
    ) -> Environment:
        """Every field at once, the name too (Conflict if another environment has it)."""
        async with get_engine().transaction():
            if await self.environments.lock_by_id(environment_id, exclusive=True) is None:
                raise NotFound(f"No environment with id {environment_id}.")
            if await self.environments.name_taken(data.name, other_than=environment_id):
                raise Conflict(f"Another environment is named '{data.name}'.")
            await self.environments.replace(
                environment_id, name=data.name, display_name=data.display_name, production=data.production
            )
            await self.environments.set_contacts(environment_id, contacts)
        return await self.get_by_id(environment_id)

    async def update(self, name: str, data: EnvironmentUpdate) -> Environment:
        values = {field: getattr(data, field) for field in data.__struct_fields__}
        async with get_engine().transaction():
            await self.get(name)
            await self.environments.update_by_name(
                name, {field: value for field, value in values.items() if value is not msgspec.UNSET}
            )
        return await self.get(name)

    async def list(self, *, limit: int, cursor: str | None, production: bool | None) -> Page[Environment]:
        after = decode_cursor(cursor, str)
        rows = await self.environments.list_page(
            limit=limit + 1, after=after[0] if after else None, production=production
        )
        return page_of(rows, limit, lambda row: row, lambda item: (item.name,))

    async def all(self) -> Environments:
        """Every environment, by name (a tenant has a handful)."""
        return await self.environments.list_all()

    async def delete(self, name: str, *, cascade: bool) -> None:
        """Refuses while deployments or releases reference the environment, unless cascading to them."""
        async with get_engine().transaction():
            # Locked first, so a deployment recorded concurrently either commits before the count below sees
            # it, or waits and then recreates the environment (see EnvironmentRepository.ensure).
            environment_id = await self.environments.lock_by_name(name)
            if environment_id is None:
                raise NotFound(f"No environment named '{name}'.")
            references = await self.environments.reference_counts(environment_id)
            if references and not cascade:
                described = ", ".join(f"{count} {what}" for what, count in sorted(references.items()))
                raise Conflict(
                    f"Environment '{name}' is still referenced ({described}); "
                    "delete with ?cascade=true to remove it with its deployment and release history."
                )
            await self.environments.delete_by_id(environment_id)

    async def delete_by_id(self, environment_id: UUID) -> None:
        """With the deployments and releases recorded to it."""
        async with get_engine().transaction():
            name = await self.environments.lock_by_id(environment_id, exclusive=True)
            if name is None:
                raise NotFound(f"No environment with id {environment_id}.")
            await self.delete(name, cascade=True)
