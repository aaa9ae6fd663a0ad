"""Tags and branches of pacticipant versions with the Pact Broker's semantics: tagging and adding a version to
a branch create the pacticipant and version as needed; deleting a branch keeps its versions."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.counted_rows import Counted, counted
from accord.errors import NotFound
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.http.pagination import Page, decode_cursor, encode_cursor
from accord.pact.catalog_schemas import Branch, BranchVersion, Tag
from accord.pact.label_repository import PactBranchRepository, PactTagRepository
from accord.tenancy.ids import TenantId


class PactLabelService:
    """A tenant's version tags and branches."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.tags = PactTagRepository(tenant)
        self.branches = PactBranchRepository(tenant)

    # Tags ----------------------------------------------------------------------------------------------------

    async def tag(self, pacticipant: str, number: str, tag: str) -> tuple[Tag, bool]:
        """Tag a version (creating pacticipant and version as needed); True if the tag is new."""
        mention = VersionMention(service=pacticipant, number=number, tags=(tag,))
        ref, created = await self.catalog.ensure_version_created(mention)
        return await self.get_tag(pacticipant, number, tag), (ref.version_id, tag) in created.tags

    async def get_tag(self, pacticipant: str, number: str, tag: str) -> Tag:
        ref = await self.catalog.find_version(pacticipant, number)
        row = await self.tags.get(ref.version_id, tag)
        if row is None:
            raise NotFound(f"Version '{number}' of '{pacticipant}' has no tag '{tag}'.")
        return Tag(name=tag, pacticipant=pacticipant, version=number, created_at=row["created_at"])

    async def delete_tag(self, pacticipant: str, number: str, tag: str) -> None:
        ref = await self.catalog.find_version(pacticipant, number)
        if not await self.tags.remove(ref.version_id, tag):
            raise NotFound(f"Version '{number}' of '{pacticipant}' has no tag '{tag}'.")

    # Branches ------------------------------------------------------------------------------------------------

    async def list_branches(
        self, pacticipant: str, *, limit: int, cursor: str | None, search: str | None
    ) -> Page[Branch]:
        service_id = await self.catalog.service_id(pacticipant)
        after = decode_cursor(cursor, str)
        rows = await self.branches.list_page(
            service_id, limit=limit + 1, after=after[0] if after else None, search=search
        )
        items = [msgspec.convert({**row, "pacticipant": pacticipant}, Branch) for row in rows[:limit]]
        return Page(items=items, next_cursor=encode_cursor(items[-1].name) if len(rows) > limit else None)

    async def list_branches_numbered(
        self, pacticipant: str, *, page: int, size: int, search: str | None
    ) -> NumberedPage[Branch]:
        """Page `page` (from 1) of `size`, by name, as the broker numbers them."""
        service_id = await self.catalog.service_id(pacticipant)

        async def fetch(limit: int, offset: int) -> Counted[dict[str, Any]]:
            return counted(
                await self.branches.list_numbered_page(service_id, limit=limit, offset=offset, search=search), dict
            )

        return await fetch_numbered(
            fetch, number=page, size=size, item=lambda row: msgspec.convert({**row, "pacticipant": pacticipant}, Branch)
        )

    async def get_branch(self, pacticipant: str, branch: str) -> Branch:
        row = await self.branches.get(await self.catalog.service_id(pacticipant), branch)
        if row is None:
            raise NotFound(f"Pacticipant '{pacticipant}' has no branch '{branch}'.")
        return msgspec.convert({**row, "pacticipant": pacticipant}, Branch)

    async def delete_branch(self, pacticipant: str, branch: str) -> None:
        """The branch goes; its versions stay (with their contracts), they are just on it no more."""
        if not await self.branches.remove(await self.catalog.service_id(pacticipant), branch):
            raise NotFound(f"Pacticipant '{pacticipant}' has no branch '{branch}'.")

    async def add_to_branch(self, pacticipant: str, branch: str, number: str) -> tuple[BranchVersion, bool]:
        """Put a version on a branch (creating pacticipant, version and branch as needed); True if new there."""
        mention = VersionMention(service=pacticipant, number=number, branch=branch)
        ref, created = await self.catalog.ensure_version_created(mention)
        joined = (ref.version_id, branch) in created.branch_versions
        return await self.get_branch_version(pacticipant, branch, number), joined

    async def get_branch_version(self, pacticipant: str, branch: str, number: str) -> BranchVersion:
        ref = await self.catalog.find_version(pacticipant, number)
        row = await self.branches.get_version(ref.service_id, branch, ref.version_id)
        if row is None:
            raise NotFound(f"Version '{number}' of '{pacticipant}' is not on branch '{branch}'.")
        return BranchVersion(branch=branch, pacticipant=pacticipant, version=number, created_at=row["created_at"])

    async def remove_from_branch(self, pacticipant: str, branch: str, number: str) -> None:
        ref = await self.catalog.find_version(pacticipant, number)
        if not await self.branches.remove_version(ref.service_id, branch, ref.version_id):
            raise NotFound(f"Version '{number}' of '{pacticipant}' is not on branch '{branch}'.")
