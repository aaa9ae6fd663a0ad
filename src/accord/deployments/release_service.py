"""Releases: versions released to an environment, many supported at once (libraries, mobile apps)."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.catalog.schemas import VersionRef
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.deployments.release_repository import ReleaseRepository
from accord.deployments.schemas import DeploymentSite, Release, SupportedVersion
from accord.environments.service import EnvironmentService
from accord.errors import Conflict, NotFound
from accord.http.pagination import Page, decode_cursor, encode_cursor, page_of
from accord.tenant_ids import TenantId

# A supported release found by the insert but gone by the next statement had its support ended in between;
# recording again then succeeds. Running out of attempts takes that happening again and again.
_RECORD_ATTEMPTS = 3

# In a class with a `list` method, `list[...]` in annotations would name the method.
DeploymentSites = list[DeploymentSite]


class ReleaseService:
    """A tenant's releases; callable from any API that records or reads them (REST, Pact HAL)."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.environments = EnvironmentService(tenant)
        self.releases = ReleaseRepository(tenant)

    async def record_release(
        self, *, service: str, version: str, environment: str, branch: str | None = None
    ) -> tuple[Release, bool]:
        """The version's supported release in the environment, and whether it was recorded just now.

        Creates the service, version and environment if needed. A version already supported there keeps its
        release (False); one whose support ended gets a new release.
        """
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(VersionMention(service=service, number=version, branch=branch))
            environment_id = await self.environments.ensure_environment(environment)
            record, created = await self._record(
                ref, environment_id, f"Support of '{service}' {version} in '{environment}'"
            )
        return record, created

    async def record_existing_release(
        self, *, service: str, version: str, environment_id: UUID
    ) -> tuple[Release, bool]:
        """record_release of a version and to an environment that both exist already (NotFound otherwise), the
        environment given by id; creates nothing else."""
        async with get_engine().transaction():
            ref = await self.catalog.find_version(service, version)
            environment = await self.environments.hold(environment_id)
            record, created = await self._record(
                ref, environment_id, f"Support of '{service}' {version} in '{environment}'"
            )
        return record, created

    async def _record(self, ref: VersionRef, environment_id: UUID, described: str) -> tuple[Release, bool]:
        """The rule of releases: released versions accumulate, one supported release a version and
        environment. Call inside the recording transaction."""
        release_id, created = await self._add_or_find(ref.service_id, ref.version_id, environment_id)
        if release_id is None:
            raise Conflict(f"{described} is changing concurrently; retry.")
        return await self.get(release_id), created

    async def _add_or_find(self, service_id: UUID, version_id: UUID, environment_id: UUID) -> tuple[UUID | None, bool]:
        for _ in range(_RECORD_ATTEMPTS):
            # ON CONFLICT against release_one_current: a concurrent recording of the same release waits for the
            # other to commit and then finds its row, so there is never a second supported release.
            created = await self.releases.add(
                service_id=service_id, version_id=version_id, environment_id=environment_id
            )
            if created is not None:
                return created, True
            existing = await self.releases.current(version_id, environment_id)
            if existing is not None:
                return existing, False
        return None, False

    async def end_support(self, release_id: UUID) -> Release:
        """Mark a release no longer supported; idempotent."""
        await self.releases.end(release_id)
        return await self.get(release_id)

    async def end_support_of(self, *, service: str, version: str, environment: str) -> Release:
        """End support of a version in an environment; idempotent, NotFound if it was never released there."""
        async with get_engine().transaction():
            ref = await self.catalog.find_version(service, version)
            environment_id = await self.environments.environment_id(environment)
            current = await self.releases.current(ref.version_id, environment_id)
            if current is not None:
                await self.releases.end(current)
            latest = current or await self.releases.latest(ref.version_id, environment_id)
        if latest is None:
            raise NotFound(f"Version {version} of '{service}' was never released to '{environment}'.")
        return await self.get(latest)

    async def get(self, release_id: UUID) -> Release:
        row = await self.releases.get(release_id)
        if row is None:
            raise NotFound(f"No release with id {release_id}.")
        return msgspec.convert(row, Release)

    async def list(
        self,
        *,
        limit: int,
        cursor: str | None,
        service: str | None = None,
        environment: str | None = None,
        version: str | None = None,
        currently_supported: bool | None = None,
    ) -> Page[Release]:
        """The release history, newest first."""
        before = decode_cursor(cursor, datetime.datetime, UUID)
        rows = await self.releases.list_page(
            limit=limit + 1,
            before=(before[0], before[1]) if before else None,
            service=service,
            environment=environment,
            version=version,
            currently_supported=currently_supported,
        )
        return page_of(rows, limit, lambda row: msgspec.convert(row, Release), lambda item: (item.released_at, item.id))

    async def currently_supported(
        self, environment: str, *, limit: int, cursor: str | None, service: str | None = None
    ) -> Page[SupportedVersion]:
        """Versions supported in an environment now, by service then newest first; NotFound for no environment."""
        environment_id = await self.environments.environment_id(environment)
        return await self.currently_supported_in(environment_id, limit=limit, cursor=cursor, service=service)

    async def currently_supported_in(
        self, environment_id: UUID, *, limit: int, cursor: str | None, service: str | None = None
    ) -> Page[SupportedVersion]:
        """currently_supported, the environment given by id."""
        after = decode_cursor(cursor, str, datetime.datetime, UUID)
        rows = await self.releases.supported_in_environment(
            environment_id, limit=limit + 1, after=(after[0], after[1], after[2]) if after else None, service=service
        )
        items = [msgspec.convert(row, SupportedVersion) for row in rows[:limit]]
        last = items[-1] if len(rows) > limit else None
        next_cursor = encode_cursor(last.service, last.released_at, last.release_id) if last else None
        return Page(items=items, next_cursor=next_cursor)

    async def sites_of_version(self, version_id: UUID) -> DeploymentSites:
        """Every release of the version, supported or not, oldest first."""
        return await self.releases.sites_of_version(version_id)
