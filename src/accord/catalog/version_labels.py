"""Tags and branches of versions: tagging and putting a version on a branch create the service and version as
needed; deleting a branch keeps its versions."""

from __future__ import annotations

from accord.catalog.label_repository import LabelRepository
from accord.catalog.schemas import BranchJoin, ServiceBranch, VersionTag
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.counted_rows import Counted
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.http.pagination import Page, decode_cursor, page_of
from accord.tenant_ids import TenantId


class VersionLabels:
    """A tenant's version tags and branches; lookups answer None where the label is missing, NotFound where the
    service or version is."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.labels = LabelRepository(tenant)

    # Tags ----------------------------------------------------------------------------------------------------

    async def tag(self, service: str, number: str, tag: str) -> bool:
        """Tag a version (creating service and version as needed); True if the tag is new."""
        ref, created = await self.catalog.ensure_version_created(
            VersionMention(service=service, number=number, tags=(tag,))
        )
        return (ref.version_id, tag) in created.tags

    async def tag_of(self, service: str, number: str, tag: str) -> VersionTag | None:
        ref = await self.catalog.find_version(service, number)
        return await self.labels.tag(ref.version_id, tag)

    async def untag(self, service: str, number: str, tag: str) -> bool:
        """False if the version had no such tag."""
        ref = await self.catalog.find_version(service, number)
        return await self.labels.remove_tag(ref.version_id, tag)

    # Branches ------------------------------------------------------------------------------------------------

    async def branches(
        self, service: str, *, limit: int, cursor: str | None, search: str | None
    ) -> Page[ServiceBranch]:
        """By name; `search` is a case-insensitive substring of the name."""
        service_id = await self.catalog.service_id(service)
        after = decode_cursor(cursor, str)
        rows = await self.labels.branches_page(
            service_id, limit=limit + 1, after=after[0] if after else None, search=search
        )
        return page_of(rows, limit, lambda row: row, lambda item: (item.name,))

    async def branches_numbered(
        self, service: str, *, page: int, size: int, search: str | None
    ) -> NumberedPage[ServiceBranch]:
        """Page `page` (from 1) of `size`, by name."""
        service_id = await self.catalog.service_id(service)

        async def fetch(limit: int, offset: int) -> Counted[ServiceBranch]:
            return await self.labels.branches_numbered_page(service_id, limit=limit, offset=offset, search=search)

        return await fetch_numbered(fetch, number=page, size=size, item=lambda row: row)

    async def branch(self, service: str, branch: str) -> ServiceBranch | None:
        return await self.labels.branch(await self.catalog.service_id(service), branch)

    async def delete_branch(self, service: str, branch: str) -> bool:
        """The branch goes; its versions stay (with their contracts), they are just on it no more. False if
        there was no such branch."""
        return await self.labels.remove_branch(await self.catalog.service_id(service), branch)

    async def add_to_branch(self, service: str, branch: str, number: str) -> bool:
        """Put a version on a branch (creating service, version and branch as needed); True if new there."""
        ref, created = await self.catalog.ensure_version_created(
            VersionMention(service=service, number=number, branch=branch)
        )
        return (ref.version_id, branch) in created.branch_versions

    async def branch_join(self, service: str, branch: str, number: str) -> BranchJoin | None:
        ref = await self.catalog.find_version(service, number)
        return await self.labels.branch_join(ref.service_id, branch, ref.version_id)

    async def remove_from_branch(self, service: str, branch: str, number: str) -> bool:
        """False if the version was not on the branch."""
        ref = await self.catalog.find_version(service, number)
        return await self.labels.remove_from_branch(ref.service_id, branch, ref.version_id)
