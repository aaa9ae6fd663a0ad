"""Pacticipant versions with the Pact Broker's semantics: created by PUT/PATCH (with their pacticipant),
looked up as latest overall, latest with a tag or head of a branch, and deleted with everything of them."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.counted_rows import Counted, counted
from accord.db.engine import get_engine
from accord.deployments.schemas import DeploymentSite
from accord.errors import NotFound
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.http.pagination import Page, decode_cursor, encode_cursor
from accord.pact.catalog_schemas import (
    BranchMembership,
    EnvironmentTarget,
    Version,
    VersionDetail,
    VersionFields,
)
from accord.pact.label_repository import PactTagRepository
from accord.pact.version_repository import PactVersionRepository
from accord.tenancy.ids import TenantId


class PactVersionService:
    """A tenant's pacticipant versions."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.versions = PactVersionRepository(tenant)
        self.tags = PactTagRepository(tenant)

    async def list(self, pacticipant: str, *, limit: int, cursor: str | None) -> Page[Version]:
        """Newest first."""
        service_id = await self.catalog.service_id(pacticipant)
        before = decode_cursor(cursor, int)
        rows = await self.versions.list_page(service_id, limit=limit + 1, before=before[0] if before else None)
        items = [_version(pacticipant, row) for row in rows[:limit]]
        next_cursor = encode_cursor(rows[limit - 1]["position"]) if len(rows) > limit else None
        return Page(items=items, next_cursor=next_cursor)

    async def list_numbered(self, pacticipant: str, *, page: int, size: int) -> NumberedPage[Version]:
        """Newest first, page `page` (from 1) of `size`, as the broker numbers them."""
        service_id = await self.catalog.service_id(pacticipant)

        async def fetch(limit: int, offset: int) -> Counted[dict[str, Any]]:
            return counted(await self.versions.list_numbered_page(service_id, limit=limit, offset=offset), dict)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: _version(pacticipant, row))

    async def get(self, pacticipant: str, number: str) -> VersionDetail:
        row = await self.versions.get(await self.catalog.service_id(pacticipant), number)
        if row is None:
            raise NotFound(f"Pacticipant '{pacticipant}' has no version '{number}'.")
        return await self._detail(pacticipant, row)

    async def latest(self, pacticipant: str, *, tag: str | None = None) -> VersionDetail:
        """The newest version, or the newest with the tag."""
        service_id = await self.catalog.service_id(pacticipant)
        row = await (
            self.versions.latest(service_id) if tag is None else self.versions.latest_with_tag(service_id, tag)
        )
        if row is None:
            with_tag = f" with tag '{tag}'" if tag is not None else ""
            raise NotFound(f"Pacticipant '{pacticipant}' has no version{with_tag}.")
        return await self._detail(pacticipant, row)

    async def branch_head(self, pacticipant: str, branch: str) -> VersionDetail:
        """The version that joined the branch last."""
        row = await self.versions.branch_head(await self.catalog.service_id(pacticipant), branch)
        if row is None:
            raise NotFound(f"Pacticipant '{pacticipant}' has no branch '{branch}' with versions.")
        return await self._detail(pacticipant, row)

    async def replace(self, pacticipant: str, number: str, data: VersionFields) -> tuple[VersionDetail, bool]:
        """PUT: creates the pacticipant and version as needed; the build URL is replaced (cleared when not
        given), and so are the tags when given. True if the version is new."""
        tags = [tag.name for tag in data.tags] if not isinstance(data.tags, msgspec.UnsetType) else None
        async with get_engine().transaction():
            ref, new = await self.catalog.ensure_version_created(
                VersionMention(service=pacticipant, number=number, tags=tuple(tags or ()))
            )
            created = ref.version_id in new.versions
            await self.versions.lock(ref.version_id)
            build_url = None if isinstance(data.build_url, msgspec.UnsetType) else data.build_url
            await self.versions.replace_build_url(ref.version_id, build_url)
            if tags is not None:
                await self.tags.keep_only(ref.version_id, tags)
        return await self.get(pacticipant, number), created

    async def merge(self, pacticipant: str, number: str, data: VersionFields) -> tuple[VersionDetail, bool]:
        """PATCH: creates the pacticipant and version as needed, sets the build URL if given, adds tags."""
        tags = tuple(tag.name for tag in data.tags) if not isinstance(data.tags, msgspec.UnsetType) else ()
        async with get_engine().transaction():
            mention = VersionMention(service=pacticipant, number=number, tags=tags)
            ref, new = await self.catalog.ensure_version_created(mention)
            created = ref.version_id in new.versions
            if data.build_url is not msgspec.UNSET:
                await self.versions.replace_build_url(ref.version_id, data.build_url)
        return await self.get(pacticipant, number), created

    async def delete(self, pacticipant: str, number: str) -> None:
        """Removes the version with its contracts, verifications, deployments and releases."""
        await self.catalog.delete_version(pacticipant, number, cascade=True)

    async def _detail(self, pacticipant: str, row: dict[str, Any]) -> VersionDetail:
        version_id: UUID = row["id"]
        return VersionDetail(
            version=_version(pacticipant, row),
            environments=[msgspec.convert(e, EnvironmentTarget) for e in await self.versions.environments()],
            deployments=[msgspec.convert(d, DeploymentSite) for d in await self.versions.deployments(version_id)],
            releases=[msgspec.convert(r, DeploymentSite) for r in await self.versions.releases(version_id)],
            pact_providers=await self.versions.pact_providers(version_id),
        )


def _version(pacticipant: str, row: dict[str, Any]) -> Version:
    heads = set(row["head_of"])
    return Version(
        id=row["id"],
        pacticipant=pacticipant,
        number=row["number"],
        build_url=row["build_url"],
        branches=[BranchMembership(name=name, latest=name in heads) for name in row["branches"]],
        tags=list(row["tags"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )
