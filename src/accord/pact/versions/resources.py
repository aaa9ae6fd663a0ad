"""HAL documents of versions and their tags, shaped like the Pact Broker's VersionDecorator and TagDecorator."""

from __future__ import annotations

from typing import Any

from accord.deployments.schemas import DeploymentSite
from accord.http.numbered_pages import NumberedPage
from accord.http.pagination import Page
from accord.pact.display_names import display_name
from accord.pact.hal_pages import collection_links, page_fields
from accord.pact.hal_time import timestamps
from accord.pact.links import Link, Links
from accord.pact.pacticipants.resources import deployed_link
from accord.pact.resource_urls import (
    branch_version_url,
    curies,
    pact_url,
    pacticipant_url,
    released_version_url,
    tag_url,
    version_url,
)
from accord.pact.versions.schemas import Tag, Version, VersionDetail


def version_resource(links: Links, detail: VersionDetail, *, self_href: str | None = None) -> dict[str, Any]:
    """One version; `self_href` is the URL it was fetched at (the latest-version resources are versions too)."""
    version = detail.version
    body = _version_body(links, version, self_href=self_href)
    p, number = version.pacticipant, version.number
    body["_links"]["pb:pact-versions"] = [
        Link(
            href=pact_url(links, provider, p, number), title="Pact", name=f"Pact between {p} ({number}) and {provider}"
        )
        for provider in detail.pact_providers
    ]
    body["_links"]["pb:deployed-environments"] = [deployed_link(links, d) for d in detail.deployments]
    body["_links"]["pb:released-environments"] = [_released_link(links, r) for r in detail.releases]
    # `pact broker record-deployment` and `record-release` follow the link whose name is the environment.
    body["_links"]["pb:record-deployment"] = [
        Link(
            href=version_url(links, p, number, "deployed-versions", "environment", str(e.id)),
            title=f"Record deployment to {display_name(e.name, e.display_name)}",
            name=e.name,
        )
        for e in detail.environments
    ]
    body["_links"]["pb:record-release"] = [
        Link(
            href=version_url(links, p, number, "released-versions", "environment", str(e.id)),
            title=f"Record release to {display_name(e.name, e.display_name)}",
            name=e.name,
        )
        for e in detail.environments
    ]
    body["_links"]["curies"] = curies(links, "version")
    return body


def versions_resource(
    links: Links, pacticipant: str, page: Page[Version] | NumberedPage[Version], *, size: int
) -> dict[str, Any]:
    """Newest first, as `_embedded.versions`."""
    body: dict[str, Any] = {"_embedded": {"versions": [_version_body(links, v) for v in page.items]}}
    body |= page_fields(page)
    body["_links"] = collection_links(
        pacticipant_url(links, pacticipant, "versions"),
        page,
        size=size,
        title=f"All application versions of {pacticipant}",
    )
    body["_links"]["pb:pacticipant"] = Link(href=pacticipant_url(links, pacticipant), title=pacticipant)
    body["_links"]["pb:versions"] = [
        Link(href=version_url(links, pacticipant, v.number), title="Version", name=v.number) for v in page.items
    ]
    return body


def tag_resource(links: Links, tag: Tag) -> dict[str, Any]:
    return {
        "name": tag.name,
        **timestamps(tag.created_at),
        "_links": {
            "self": Link(href=tag_url(links, tag.pacticipant, tag.version, tag.name), title="Tag", name=tag.name),
            "version": Link(href=version_url(links, tag.pacticipant, tag.version), title="Version", name=tag.version),
            "pacticipant": Link(
                href=pacticipant_url(links, tag.pacticipant), title="Pacticipant", name=tag.pacticipant
            ),
        },
    }


def _version_body(links: Links, version: Version, *, self_href: str | None = None) -> dict[str, Any]:
    p, number = version.pacticipant, version.number
    branch_versions = [
        {
            "name": branch.name,
            "latest": branch.latest,
            "_links": {
                "self": Link(
                    href=branch_version_url(links, p, branch.name, number), title="Branch version", name=branch.name
                )
            },
        }
        for branch in version.branches
    ]
    tags = [
        {"name": tag, "_links": {"self": Link(href=tag_url(links, p, number, tag), title="Tag", name=tag)}}
        for tag in version.tags
    ]
    body: dict[str, Any] = {"number": number}
    if version.build_url is not None:
        body["buildUrl"] = version.build_url
    body |= timestamps(version.created_at, version.updated_at)
    # `branches` is the broker's older name for `branchVersions`; both are still served.
    body["_embedded"] = {"branchVersions": branch_versions, "branches": branch_versions, "tags": tags}
    body["_links"] = {
        "self": Link(href=self_href or version_url(links, p, number), title="Version", name=number),
        "pb:pacticipant": Link(href=pacticipant_url(links, p), title="Pacticipant", name=p),
        "pb:tag": Link(
            href=version_url(links, p, number) + "/tags/{tag}",
            title="Get, create or delete a tag for this pacticipant version",
            templated=True,
        ),
    }
    return body


def _released_link(links: Links, release: DeploymentSite) -> dict[str, Any]:
    shown = display_name(release.environment, release.environment_display_name)
    return {
        "title": f"Version released to {shown}",
        "name": shown,
        "href": released_version_url(links, release.id),
        "currently_supported": release.current,
    }
