"""Versions present in environments, deployed or released: recording them, ending them, and their history."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar
from uuid import UUID

from accord.catalog.schemas import VersionRef
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.deployments.presence import DEPLOYED, PresenceKind, PresentT, RecordT
from accord.deployments.repository import (
    DeploymentRepository,
    PresenceRepository,
    PresenceRow,
    ReleaseRepository,
    SiteRow,
)
from accord.deployments.schemas import DeploymentSite
from accord.environments.service import EnvironmentService
from accord.errors import Conflict, InvalidInput, NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId

# A supported release found by the insert but gone by the next statement had its support ended in between;
# recording again then succeeds. Running out of attempts takes that happening again and again.
_JOIN_ATTEMPTS = 3

_RowT = TypeVar("_RowT")

# In a class with a `list` method, `list[...]` in annotations would name the method.
DeploymentSites = list[DeploymentSite]


class PresenceService:
    """A tenant's deployed and released versions (presence.py: the one rule that tells them apart); callable
    from any API that records or reads them (REST, Pact HAL). Each method takes the kind it works on."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog, environments: EnvironmentService) -> None:
        self.catalog = catalog
        self.environments = environments
        self.deployments = DeploymentRepository(tenant)
        self.releases = ReleaseRepository(tenant)

    def _repository(self, kind: PresenceKind[Any, Any]) -> PresenceRepository[Any]:
        return self.deployments if kind is DEPLOYED else self.releases

    # Recording ---------------------------------------------------------------------------------------------

    async def record(
        self,
        kind: PresenceKind[RecordT, Any],
        *,
        service: str,
        version: str,
        environment: str,
        branch: str | None = None,
        application_instance: str = "",
        deployed_by: str | None = None,
    ) -> tuple[RecordT, bool]:
        """The version's current presence in the environment, and whether it was recorded just now.

        Creates the service, version and environment if needed. Recording what is current there already changes
        nothing (False); a deployment replaces what ran in its target before, a release whose support ended gets
        a new one. The application instance and the deployer are a deployment's only.
        """
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(VersionMention(service=service, number=version, branch=branch))
            environment_id = await self.environments.ensure_environment(environment)
            presence_id, created = await self._place(
                kind,
                ref,
                environment_id,
                application_instance,
                deployed_by,
                f"'{service}' {version} in '{environment}'",
            )
            # Read inside the transaction: the response shows this recording, not a later one's effect.
            recorded = await self.get(kind, presence_id)
        return recorded, created

    async def record_existing(
        self,
        kind: PresenceKind[RecordT, Any],
        *,
        service: str,
        version: str,
        environment_id: UUID,
        application_instance: str = "",
    ) -> tuple[RecordT, bool]:
        """record of a version and to an environment that both exist already (NotFound otherwise), the
        environment given by id; creates nothing else."""
        async with get_engine().transaction():
            ref = await self.catalog.find_version(service, version)
            environment = await self.environments.hold(environment_id)
            presence_id, created = await self._place(
                kind, ref, environment_id, application_instance, None, f"'{service}' {version} in '{environment}'"
            )
            recorded = await self.get(kind, presence_id)
        return recorded, created

    async def _place(
        self,
        kind: PresenceKind[Any, Any],
        ref: VersionRef,
        environment_id: UUID,
        application_instance: str,
        deployed_by: str | None,
        described: str,
    ) -> tuple[UUID, bool]:
        """The rule of presence kinds, inside the recording transaction: the id of the version's current
        presence, and whether it is new."""
        if kind.replaces_previous:
            return await self._replace(ref, environment_id, application_instance, deployed_by)
        joined = await self._join(ref, environment_id)
        if joined is None:
            raise Conflict(f"Support of {described} is changing concurrently; retry.")
        return joined

    async def _replace(
        self, ref: VersionRef, environment_id: UUID, application_instance: str, deployed_by: str | None
    ) -> tuple[UUID, bool]:
        """The version replaces what ran in the environment's target (service and application instance)."""
        target = (ref.service_id, environment_id, application_instance)
        await self.deployments.lock_target(*target)
        current = await self.deployments.current_of(*target)
        if current is not None and current.version == ref.version_id:
            return current.id, False
        ended_at = await self.deployments.end_current(*target)
        deployment_id = await self.deployments.add(
            service_id=ref.service_id,
            version_id=ref.version_id,
            environment_id=environment_id,
            instance=application_instance,
            deployed_by=deployed_by,
            deployed_at=ended_at,
        )
        return deployment_id, True

    async def _join(self, ref: VersionRef, environment_id: UUID) -> tuple[UUID, bool] | None:
        """The version joins those supported in the environment, once; None when it can't settle which."""
        for _ in range(_JOIN_ATTEMPTS):
            # ON CONFLICT against release_one_current: a concurrent recording of the same release waits for the
            # other to commit and then finds its row, so there is never a second supported release.
            created = await self.releases.add(
                service_id=ref.service_id, version_id=ref.version_id, environment_id=environment_id
            )
            if created is not None:
                return created, True
            existing = await self.releases.current_of(ref.version_id, environment_id)
            if existing is not None:
                return existing, False
        return None

    # Ending ------------------------------------------------------------------------------------------------

    async def end(self, kind: PresenceKind[RecordT, Any], presence_id: UUID) -> RecordT:
        """Undeploy a deployment, or end support of a release; idempotent."""
        await self._repository(kind).end(presence_id)
        return await self.get(kind, presence_id)

    async def end_current(
        self,
        kind: PresenceKind[RecordT, Any],
        *,
        service: str,
        environment: str,
        version: str | None = None,
        application_instance: str = "",
    ) -> RecordT:
        """End what is current in a target, named rather than by id: a deployment's target is the service's
        application instance in the environment (whichever version runs there), a release's the version in the
        environment. Idempotent: the latest presence there; NotFound if there never was one."""
        if kind.replaces_previous:
            latest = await self._undeploy_target(service, environment, application_instance)
        elif version is None:
            raise InvalidInput("A release is named by its version.")
        else:
            latest = await self._end_support_of(service, version, environment)
        return await self.get(kind, latest)

    async def _undeploy_target(self, service: str, environment: str, application_instance: str) -> UUID:
        async with get_engine().transaction():
            target = (
                await self.catalog.service_id(service),
                await self.environments.environment_id(environment),
                application_instance,
            )
            await self.deployments.lock_target(*target)
            await self.deployments.end_current(*target)
            latest = await self.deployments.latest(*target)
        if latest is None:
            raise NotFound(f"Nothing was deployed of '{service}' to '{environment}'{_instance(application_instance)}.")
        return latest

    async def _end_support_of(self, service: str, version: str, environment: str) -> UUID:
        async with get_engine().transaction():
            ref = await self.catalog.find_version(service, version)
            environment_id = await self.environments.environment_id(environment)
            current = await self.releases.current_of(ref.version_id, environment_id)
            if current is not None:
                await self.releases.end(current)
            latest = current or await self.releases.latest(ref.version_id, environment_id)
        if latest is None:
            raise NotFound(f"Version {version} of '{service}' was never released to '{environment}'.")
        return latest

    # Reading -----------------------------------------------------------------------------------------------

    async def get(self, kind: PresenceKind[RecordT, Any], presence_id: UUID) -> RecordT:
        row = await self._repository(kind).get(presence_id)
        if row is None:
            raise NotFound(f"No {kind.noun} with id {presence_id}.")
        return kind.record_of(row)

    async def list(
        self,
        kind: PresenceKind[RecordT, Any],
        *,
        limit: int,
        cursor: str | None,
        service: str | None = None,
        environment: str | None = None,
        version: str | None = None,
        current: bool | None = None,
    ) -> Page[RecordT]:
        """The history, newest first; `current` filters on whether each is still deployed (supported)."""
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self._repository(kind).list_page(
            limit=limit + 1,
            before=(before[0], before[1]) if before else None,
            service=service,
            environment=environment,
            version=version,
            current=current,
        )
        page = page_of(rows, limit, _same_row, _started_and_id)
        return Page(items=[kind.record_of(row) for row in page.items], next_cursor=page.next_cursor)

    async def present(
        self,
        kind: PresenceKind[Any, PresentT],
        environment: str,
        *,
        limit: int,
        cursor: str | None,
        service: str | None,
    ) -> Page[PresentT]:
        """What the environment holds now, in the kind's order; NotFound for no environment."""
        environment_id = await self.environments.environment_id(environment)
        return await self.present_in(kind, environment_id, limit=limit, cursor=cursor, service=service)

    async def present_in(
        self,
        kind: PresenceKind[Any, PresentT],
        environment_id: UUID,
        *,
        limit: int,
        cursor: str | None,
        service: str | None,
    ) -> Page[PresentT]:
        """present, the environment given by id."""
        rows = await self._repository(kind).present_in(
            environment_id, limit=limit + 1, after=decode_cursor(cursor, *kind.cursor_types), service=service
        )
        page = page_of(rows, limit, _same_row, kind.cursor_of)
        return Page(items=[kind.present_of(row) for row in page.items], next_cursor=page.next_cursor)

    async def sites_of_version(self, kind: PresenceKind[Any, Any], version_id: UUID) -> DeploymentSites:
        """Every presence of the version, current or past, oldest first."""
        return [_site(row) for row in await self._repository(kind).sites_of_version(version_id)]

    async def current_sites(self, service: str) -> DeploymentSites:
        """Where the service's versions are deployed now."""
        return [_site(row) for row in await self.deployments.current_of_service(await self.catalog.service_id(service))]


def _site(row: SiteRow) -> DeploymentSite:
    return DeploymentSite(
        id=row.id,
        environment=row.environment,
        environment_display_name=row.environment_display_name,
        application_instance=row.application_instance,
        current=row.current,
    )


def _same_row(row: _RowT) -> _RowT:
    return row


def _started_and_id(row: PresenceRow) -> tuple[datetime.datetime, UUID]:
    return row.started_at, row.id


def _instance(application_instance: str) -> str:
    return f" (instance '{application_instance}')" if application_instance else ""
