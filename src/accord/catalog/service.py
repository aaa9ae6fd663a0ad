"""The service catalog: services and their versions, branches and tags, created explicitly or on first
mention by any upload."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.label_repository import LabelRepository
from accord.catalog.repository import ServiceRepository, ServiceRow
from accord.catalog.schemas import (
    Service,
    ServiceCreate,
    ServiceUpdate,
    Version,
    VersionCreate,
    VersionRef,
    VersionUpdate,
)
from accord.catalog.semver import semver_key
from accord.catalog.version_repository import VersionRepository, VersionRow
from accord.db.engine import get_engine
from accord.errors import Conflict, NotFound
from accord.http.pagination import Page, decode_cursor, page_of, page_of_rows
from accord.tenant_ids import TenantId


class VersionMention(msgspec.Struct, frozen=True, kw_only=True):
    """A version named by an upload, with what the upload says about it."""

    service: str
    number: str
    branch: str | None = None
    tags: tuple[str, ...] = ()
    git_sha: str | None = None
    build_url: str | None = None


class Created(msgspec.Struct, frozen=True, kw_only=True):
    """What one ensure call inserted itself: not what it found, nor what a racing caller inserted."""

    services: frozenset[str] = frozenset()
    versions: frozenset[UUID] = frozenset()
    branch_versions: frozenset[tuple[UUID, str]] = frozenset()  # (version id, branch name)
    tags: frozenset[tuple[UUID, str]] = frozenset()  # (version id, tag name)


def _unset_dropped(update: msgspec.Struct, fields: Iterable[str]) -> dict[str, Any]:
    return {name: getattr(update, name) for name in fields if getattr(update, name) is not msgspec.UNSET}


def _describe(references: dict[str, int]) -> str:
    return ", ".join(f"{count} {what}" for what, count in sorted(references.items()))


class ServiceCatalog:
    def __init__(self, tenant: TenantId) -> None:
        self.services = ServiceRepository(tenant)
        self.versions = VersionRepository(tenant)
        self.labels = LabelRepository(tenant)

    # Auto-creation, for every slice that accepts uploads -------------------------------------------------

    async def ensure_services(self, names: Sequence[str]) -> dict[str, UUID]:
        """Ids of the named services, creating the missing ones (safe against concurrent uploads)."""
        unique = sorted(set(names))
        return (await self.services.ensure(unique))[0] if unique else {}

    async def ensure_service_created(self, name: str) -> bool:
        """Create the named service if missing; True only for the one caller whose insert made it."""
        return bool((await self.services.ensure([name]))[1])

    async def ensure_versions(self, mentions: Sequence[VersionMention]) -> dict[tuple[str, str], VersionRef]:
        """Refs of the mentioned versions, creating services, versions, branches and tags as needed.

        A constant number of statements whatever the number of mentions; call it inside the caller's
        transaction so the upload and the rows it creates commit together.
        """
        return (await self._ensure(mentions))[0]

    async def ensure_versions_and_services(
        self, mentions: Sequence[VersionMention], services: Sequence[str]
    ) -> tuple[dict[tuple[str, str], VersionRef], dict[str, UUID]]:
        """ensure_versions that also creates the other services an upload names (its providers) in the same
        statement, in name order with the versions' services: no extra round trip, and two uploads that each
        name the other's consumer create them in one order (creating them apart could deadlock)."""
        refs, _, service_ids = await self._ensure(mentions, also_services=services)
        return refs, service_ids

    async def ensure_version(self, mention: VersionMention) -> VersionRef:
        return (await self.ensure_versions([mention]))[(mention.service, mention.number)]

    async def ensure_version_created(self, mention: VersionMention) -> tuple[VersionRef, Created]:
        """ensure_version, also saying what this call created itself: of racing callers that mention the
        same new version or tag, exactly one is told it created it (its 201; the others answer 200)."""
        refs, created, _ = await self._ensure([mention])
        return refs[(mention.service, mention.number)], created

    async def _ensure(
        self, mentions: Sequence[VersionMention], also_services: Sequence[str] = ()
    ) -> tuple[dict[tuple[str, str], VersionRef], Created, dict[str, UUID]]:
        if not mentions:
            return {}, Created(), {}
        # Joins the caller's transaction; on its own it still needs one, to hold the rows' key-share locks.
        async with get_engine().transaction():
            # What exists is found in one statement, and only the rest is written: uploads mostly name what exists
            # (every batch of a CI run names its consumer version), and each write is a round trip and a trigger.
            names = sorted({m.service for m in mentions} | set(also_services))
            known = await self.versions.known_mentions(
                names, sorted({(m.service, m.number, m.branch or "") for m in mentions})
            )
            service_ids = {row.service: row.service_id for row in known if row.number is None}
            new_services: set[str] = set()
            missing_services = [name for name in names if name not in service_ids]
            if missing_services:
                # In name order, like the services of other uploads: creating them apart can't deadlock.
                found, new_services = await self.services.ensure(missing_services)
                service_ids.update(found)
            version_ids = {
                (row.service_id, row.number): row.version_id
                for row in known
                if row.number is not None and row.version_id is not None
            }
            joined = {(row.service, row.number, row.branch) for row in known if row.on_branch}
            new_versions: set[UUID] = set()
            keys = sorted(
                {
                    (service_ids[m.service], m.number, semver_key(m.number))
                    for m in mentions
                    if (service_ids[m.service], m.number) not in version_ids
                }
            )
            if keys:
                found_versions, new_versions = await self.versions.ensure(keys)
                version_ids.update(found_versions)
            refs = {
                (m.service, m.number): VersionRef(
                    service_id=service_ids[m.service],
                    service=m.service,
                    version_id=version_ids[(service_ids[m.service], m.number)],
                    number=m.number,
                )
                for m in mentions
            }
            branches: set[tuple[UUID, UUID, str]] = set()
            tags: set[tuple[UUID, str]] = set()
            build_infos: dict[UUID, tuple[str | None, str | None]] = {}
            for mention in mentions:
                ref = refs[(mention.service, mention.number)]
                if mention.branch and (mention.service, mention.number, mention.branch) not in joined:
                    branches.add((ref.service_id, ref.version_id, mention.branch))
                tags.update((ref.version_id, tag) for tag in mention.tags)
                if mention.git_sha or mention.build_url:
                    build_infos[ref.version_id] = (mention.git_sha, mention.build_url)
            new_branch_versions = await self.labels.add_branches(sorted(branches))
            new_tags = await self.labels.add_tags(sorted(tags))
            await self.versions.fill_build_info(build_infos)
        created = Created(
            services=frozenset(new_services),
            versions=frozenset(new_versions),
            branch_versions=frozenset(new_branch_versions),
            tags=frozenset(new_tags),
        )
        return refs, created, service_ids

    # Services ----------------------------------------------------------------------------------------------

    async def create_service(self, data: ServiceCreate) -> Service:
        row = await self.services.create(msgspec.structs.asdict(data))
        if row is None:
            raise Conflict(f"A service named '{data.name}' already exists.")
        return _service(row)

    async def get_service(self, name: str) -> Service:
        return _service(await self._service_row(name))

    async def service_id(self, name: str) -> UUID:
        return (await self._service_row(name)).id

    async def _service_row(self, name: str) -> ServiceRow:
        row = await self.services.get_by_name(name)
        if row is None:
            raise NotFound(f"No service named '{name}'.")
        return row

    async def update_service(self, name: str, data: ServiceUpdate) -> Service:
        await self._service_row(name)
        await self.services.update(name, _unset_dropped(data, data.__struct_fields__))
        return await self.get_service(name)

    async def list_services(self, *, limit: int, cursor: str | None, prefix: str | None) -> Page[Service]:
        after = decode_cursor(cursor, str)
        rows = await self.services.list_page(limit=limit + 1, after=after[0] if after else None, prefix=prefix)
        return page_of(rows, limit, _service, lambda item: (item.name,))

    async def delete_service(self, name: str, *, cascade: bool) -> None:
        async with get_engine().transaction():
            service_id = await self.service_id(name)
            await self.services.lock_for_delete(service_id)
            references = await self.services.reference_counts(service_id)
            if references and not cascade:
                raise Conflict(
                    f"Service '{name}' is still referenced ({_describe(references)}); "
                    "delete with ?cascade=true to remove it and everything that refers to it."
                )
            await self.services.delete_by_id(service_id)

    # Versions ----------------------------------------------------------------------------------------------

    async def create_version(self, service: str, data: VersionCreate) -> tuple[Version, bool]:
        """Idempotent: an existing version gets the given branches and tags added. True if this call created
        the version (of racing creators, exactly one)."""
        async with get_engine().transaction():
            await self.service_id(service)  # versions of unknown services are created by uploads, not here
            mentions = [
                VersionMention(service=service, number=data.number, git_sha=data.git_sha, build_url=data.build_url)
            ]
            mentions += [VersionMention(service=service, number=data.number, branch=b) for b in data.branches]
            if data.tags:
                mentions.append(VersionMention(service=service, number=data.number, tags=tuple(data.tags)))
            refs, created, _ = await self._ensure(mentions)
        new = refs[(service, data.number)].version_id in created.versions
        return await self.get_version(service, data.number), new

    async def update_version(self, service: str, number: str, data: VersionUpdate) -> Version:
        async with get_engine().transaction():
            ref = await self._version_ref(service, number)
            await self.versions.set_build_info(ref.version_id, _unset_dropped(data, ("git_sha", "build_url")))
            await self.labels.add_branches([(ref.service_id, ref.version_id, branch) for branch in data.branches])
            await self.labels.add_tags([(ref.version_id, tag) for tag in data.tags])
        return await self.get_version(service, number)

    async def _version_ref(self, service: str, number: str) -> VersionRef:
        service_id = await self.service_id(service)
        row = await self.versions.get(service_id, number)
        if row is None:
            raise NotFound(f"Service '{service}' has no version '{number}'.")
        return VersionRef(service_id=service_id, service=service, version_id=row.id, number=number)

    async def find_version(self, service: str, number: str) -> VersionRef:
        """The ref of an existing version (NotFound otherwise); for reads that must not create anything."""
        return await self._version_ref(service, number)

    async def get_version(self, service: str, number: str) -> Version:
        service_id = await self.service_id(service)
        row = await self.versions.get(service_id, number)
        if row is None:
            raise NotFound(f"Service '{service}' has no version '{number}'.")
        return (await self._with_labels(service, [row]))[0]

    async def list_versions(
        self, service: str, *, limit: int, cursor: str | None, branch: str | None, tag: str | None
    ) -> Page[Version]:
        service_id = await self.service_id(service)
        before = decode_cursor(cursor, int)
        rows = await self.versions.list_page(
            service_id=service_id, limit=limit + 1, before=before[0] if before else None, branch=branch, tag=tag
        )
        return page_of_rows(rows, limit, await self._with_labels(service, rows[:limit]), lambda row: (row.position,))

    async def _with_labels(self, service: str, rows: list[VersionRow]) -> list[Version]:
        labels = await self.versions.labels([row.id for row in rows])
        return [
            Version(
                id=row.id,
                service=service,
                number=row.number,
                git_sha=row.git_sha,
                build_url=row.build_url,
                branches=labels.get(row.id, ([], []))[0],
                tags=labels.get(row.id, ([], []))[1],
                created_at=row.created_at,
            )
            for row in rows
        ]

    async def delete_version(self, service: str, number: str, *, cascade: bool) -> None:
        async with get_engine().transaction():
            ref = await self._version_ref(service, number)
            await self.versions.lock_for_delete(ref.version_id)
            references = await self.versions.reference_counts(ref.version_id)
            if references and not cascade:
                raise Conflict(
                    f"Version '{number}' of '{service}' is still referenced ({_describe(references)}); "
                    "delete with ?cascade=true to remove it and everything that refers to it."
                )
            await self.versions.delete_by_id(ref.version_id)


def _service(row: ServiceRow) -> Service:
    return Service(
        id=row.id,
        name=row.name,
        display_name=row.display_name,
        description=row.description,
        repository_url=row.repository_url,
        main_branch=row.main_branch,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
