"""A service's versions newest first, with their branches (and which they head) and tags: looked up as the
latest, the latest with a tag or the head of a branch; their build URL and tags replaced or merged, creating
the service and version as needed."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

import msgspec

from accord.catalog.label_repository import LabelRepository
from accord.catalog.schemas import BranchMembership, VersionEntry
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.catalog.version_repository import VersionEntryRow, VersionRepository
from accord.db.counted_rows import Counted
from accord.db.engine import get_engine
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId


class VersionHistory:
    """A tenant's versions, one service at a time."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.versions = VersionRepository(tenant)
        self.labels = LabelRepository(tenant)

    async def list(self, service: str, *, limit: int, cursor: str | None) -> Page[VersionEntry]:
        """Newest first."""
        service_id = await self.catalog.service_id(service)
        before = decode_cursor(cursor, int)
        rows = await self.versions.entries_page(service_id, limit=limit + 1, before=before[0] if before else None)
        return page_of(rows, limit, _entry, lambda entry: (entry.position,))

    async def list_numbered(self, service: str, *, page: int, size: int) -> NumberedPage[VersionEntry]:
        """Newest first, page `page` (from 1) of `size`."""
        service_id = await self.catalog.service_id(service)

        async def fetch(limit: int, offset: int) -> Counted[VersionEntryRow]:
            return await self.versions.entries_numbered_page(service_id, limit=limit, offset=offset)

        return await fetch_numbered(fetch, number=page, size=size, item=_entry)

    async def find(self, service: str, number: str) -> VersionEntry | None:
        return _found(await self.versions.entry(await self.catalog.service_id(service), number))

    async def latest(self, service: str, *, tag: str | None = None) -> VersionEntry | None:
        """The newest version, or the newest with the tag."""
        service_id = await self.catalog.service_id(service)
        if tag is None:
            return _found(await self.versions.latest_entry(service_id))
        return _found(await self.versions.latest_entry_with_tag(service_id, tag))

    async def branch_head(self, service: str, branch: str) -> VersionEntry | None:
        """The version that joined the branch last."""
        return _found(await self.versions.branch_head_entry(await self.catalog.service_id(service), branch))

    async def replace(
        self, service: str, number: str, *, build_url: str | None, tags: Sequence[str] | None
    ) -> tuple[UUID, bool]:
        """Creates the service and version as needed; the build URL is replaced, and so are the tags unless
        None. The version's id, and True if it is new."""
        async with get_engine().transaction():
            ref, new = await self.catalog.ensure_version_created(
                VersionMention(service=service, number=number, tags=tuple(tags or ()))
            )
            await self.versions.lock_fields(ref.version_id)
            await self.versions.set_build_url(ref.version_id, build_url)
            if tags is not None:
                await self.labels.keep_only_tags(ref.version_id, [*tags])
        return ref.version_id, ref.version_id in new.versions

    async def merge(
        self, service: str, number: str, *, build_url: str | msgspec.UnsetType | None, tags: tuple[str, ...]
    ) -> tuple[UUID, bool]:
        """Creates the service and version as needed, sets the build URL if given, adds the tags. The version's
        id, and True if it is new."""
        async with get_engine().transaction():
            ref, new = await self.catalog.ensure_version_created(
                VersionMention(service=service, number=number, tags=tags)
            )
            if not isinstance(build_url, msgspec.UnsetType):
                await self.versions.set_build_url(ref.version_id, build_url)
        return ref.version_id, ref.version_id in new.versions

    async def delete(self, service: str, number: str) -> None:
        """Removes the version with its contracts, verifications, deployments and releases."""
        await self.catalog.delete_version(service, number, cascade=True)


def _entry(row: VersionEntryRow) -> VersionEntry:
    heads = set(row.head_of)
    return VersionEntry(
        id=row.id,
        number=row.number,
        build_url=row.build_url,
        branches=[BranchMembership(name=name, latest=name in heads) for name in row.branches],
        tags=row.tags,
        created_at=row.created_at,
        updated_at=row.updated_at,
        position=row.position,
    )


def _found(row: VersionEntryRow | None) -> VersionEntry | None:
    return None if row is None else _entry(row)
