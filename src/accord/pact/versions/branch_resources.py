"""HAL documents of branches and branch versions, shaped like the Pact Broker's BranchDecorator and
BranchVersionDecorator."""

from __future__ import annotations

from typing import Any

from accord.http.numbered_pages import NumberedPage
from accord.http.pagination import Page
from accord.pact.hal_pages import collection_links, page_fields
from accord.pact.hal_time import timestamps
from accord.pact.links import Link, Links
from accord.pact.resource_urls import branch_url, branch_version_url, pacticipant_url, version_url
from accord.pact.versions.schemas import Branch, BranchVersion


def branch_resource(links: Links, branch: Branch) -> dict[str, Any]:
    return {
        "name": branch.name,
        **timestamps(branch.created_at, branch.updated_at),
        "_links": {
            "self": Link(href=branch_url(links, branch.pacticipant, branch.name), title="Branch"),
            "pb:latest-version": Link(
                href=branch_url(links, branch.pacticipant, branch.name, "latest-version"),
                title="Latest version for branch",
            ),
        },
    }


def branches_resource(
    links: Links, pacticipant: str, page: Page[Branch] | NumberedPage[Branch], *, size: int, search: str | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"_embedded": {"branches": [branch_resource(links, b) for b in page.items]}}
    body |= page_fields(page)
    body["_links"] = collection_links(
        pacticipant_url(links, pacticipant, "branches"),
        page,
        size=size,
        query={"q": search},
        title=f"{pacticipant} branches",
    )
    body["_links"]["pb:branches"] = [Link(href=branch_url(links, pacticipant, b.name), name=b.name) for b in page.items]
    return body


def branch_version_resource(links: Links, branch_version: BranchVersion) -> dict[str, Any]:
    p, branch, number = branch_version.pacticipant, branch_version.branch, branch_version.version
    return {
        **timestamps(branch_version.created_at),
        "_links": {
            "self": Link(href=branch_version_url(links, p, branch, number), title="Branch version"),
            "pb:branch": Link(href=branch_url(links, p, branch), title="Branch", name=branch),
            "pb:version": Link(href=version_url(links, p, number), title="Version", name=number),
        },
    }
