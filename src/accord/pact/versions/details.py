"""What the Pact version resource shows beside the version: the environments it can be recorded to, where it
is deployed and released, and the providers it published pacts for; each read from its native slice."""

from __future__ import annotations

from litestar.di import NamedDependency

from accord.catalog.schemas import VersionEntry
from accord.composition import contract_service, environment_service, presence_service
from accord.contracts.service import ContractService
from accord.deployments.presence import DEPLOYED, RELEASED
from accord.deployments.service import PresenceService
from accord.environments.service import EnvironmentService
from accord.errors import NotFound
from accord.pact.versions.schemas import VersionDetail, version_view
from accord.tenant_ids import TenantId


class VersionDetails:
    """Composes a version's resource from the native services it is given."""

    def __init__(
        self,
        *,
        environments: EnvironmentService,
        presences: PresenceService,
        contracts: ContractService,
    ) -> None:
        self.environments = environments
        self.presences = presences
        self.contracts = contracts

    async def of(self, pacticipant: str, entry: VersionEntry | None, missing: str) -> VersionDetail:
        """The detail of `entry`; NotFound with `missing` (the Pact wording) when there is none."""
        if entry is None:
            raise NotFound(missing)
        return VersionDetail(
            version=version_view(pacticipant, entry),
            environments=await self.environments.all(),
            deployments=await self.presences.sites_of_version(DEPLOYED, entry.id),
            releases=await self.presences.sites_of_version(RELEASED, entry.id),
            pact_providers=await self.contracts.providers_of(entry.id),
        )


def provide_version_details(tenant_id: NamedDependency[TenantId]) -> VersionDetails:
    return VersionDetails(
        environments=environment_service(tenant_id),
        presences=presence_service(tenant_id),
        contracts=contract_service(tenant_id),
    )
