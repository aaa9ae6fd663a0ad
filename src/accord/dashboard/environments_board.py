"""The environments board: what runs (deployed) and what is supported (released) in each environment."""

from __future__ import annotations

import asyncio

from accord.composition import environment_service, presence_service
from accord.dashboard.schemas import EnvironmentColumn
from accord.deployments.presence import DEPLOYED, RELEASED
from accord.environments.schemas import Environment
from accord.tenant_ids import TenantId

# A board column lists this many services; past it the column links to the environment's own listing.
COLUMN_SIZE = 300
MAX_ENVIRONMENTS = 50


class EnvironmentsBoard:
    def __init__(self, tenant: TenantId) -> None:
        self.environments = environment_service(tenant)
        self.presences = presence_service(tenant)

    async def columns(self) -> list[EnvironmentColumn]:
        environments = (await self.environments.list(limit=MAX_ENVIRONMENTS, cursor=None, production=None)).items
        # Two reads per environment, concurrently; a tenant has a handful of environments.
        return list(await asyncio.gather(*(self._column(environment) for environment in environments)))

    async def _column(self, environment: Environment) -> EnvironmentColumn:
        deployed, released = await asyncio.gather(
            self.presences.present(DEPLOYED, environment.name, limit=COLUMN_SIZE, cursor=None, service=None),
            self.presences.present(RELEASED, environment.name, limit=COLUMN_SIZE, cursor=None, service=None),
        )
        return EnvironmentColumn(
            name=environment.name,
            display_name=environment.display_name,
            production=environment.production,
            deployed=deployed.items,
            released=released.items,
            more=deployed.next_cursor is not None or released.next_cursor is not None,
        )
