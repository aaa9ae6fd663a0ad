"""The body of a contracts publication: the notices Pact clients print, and the links they parse."""

from __future__ import annotations

from typing import Any

from accord.contracts.document_publisher import PublishedDocument
from accord.pact.links import Link, Links
from accord.pact.pact_urls import pact_name
from accord.pact.pacts.publication import PactsPublished
from accord.pact.resource_urls import pact_url, pacticipant_url, tag_url, version_url

_STATUS_NOTICES = {
    "created": ("success", "Pact successfully published for {c} version {v} and provider {p}."),
    "unchanged": (
        "success",
        "Pact successfully republished for {c} version {v} and provider {p} with no content changes.",
    ),
    "merged": ("success", "Pact content merged with existing content for {c} version {v} and provider {p}."),
    "replaced": (
        "warning",
        "Pact with changed content published over existing content for {c} version {v} and provider {p}. This "
        "is not recommended in normal circumstances and may indicate that you have not configured your Pact "
        "pipeline correctly. For more information see https://docs.pact.io/go/versioning",
    ),
}


def _version_notice(published: PactsPublished) -> str:
    action = "Updated" if published.version_existed else "Created"
    text = f"{action} {published.consumer} version {published.consumer_version}"
    if published.branch:
        text += f" with branch {published.branch}"
    if published.tags:
        text += f"{' and' if published.branch else ' with'} tags {', '.join(published.tags)}"
    return text


def _pact_notices(pact: PublishedDocument, links: Links) -> list[dict[str, str]]:
    kind, template = _STATUS_NOTICES[pact.status]
    url = pact_url(links, pact.provider, pact.consumer, pact.consumer_version)
    return [
        {"type": kind, "text": template.format(c=pact.consumer, v=pact.consumer_version, p=pact.provider)},
        {"type": "debug", "text": f"  View the published pact at {url}"},
    ]


def notices(published: PactsPublished, links: Links) -> list[dict[str, str]]:
    found = [{"type": "debug", "text": _version_notice(published)}]
    if not published.branch:
        found.append(
            {
                "type": "prompt",
                "text": "  Next steps:\n    Configure the version branch to be the value of your repository branch.",
            }
        )
    for pact in published.pacts:
        found.extend(_pact_notices(pact, links))
    return found


def publication_body(published: PactsPublished, links: Links) -> dict[str, Any]:
    consumer, number = published.consumer, published.consumer_version
    found = notices(published, links)
    version_link = Link(href=version_url(links, consumer, number), title="Pacticipant version", name=number)
    return {
        "notices": found,
        # Older clients print `logs`; the broker still sends them alongside `notices`.
        "logs": [
            {"level": notice["type"], "message": notice["text"], "deprecationWarning": "Replaced by notices"}
            for notice in found
        ],
        "_embedded": {
            "pacticipant": {"name": consumer, "_links": {"self": Link(href=pacticipant_url(links, consumer))}},
            "version": {
                "number": number,
                "_links": {"self": Link(href=version_link.href, title="Version", name=number)},
            },
        },
        "_links": {
            "pb:pacticipant": Link(href=pacticipant_url(links, consumer), title="Pacticipant", name=consumer),
            "pb:pacticipant-version": version_link,
            "pb:pacticipant-version-tags": [
                Link(href=tag_url(links, consumer, number, tag), title="Tag", name=tag) for tag in published.tags
            ],
            "pb:contracts": [
                Link(
                    href=pact_url(links, pact.provider, pact.consumer, pact.consumer_version),
                    title="Pact",
                    name=pact_name(pact.consumer, pact.provider, pact.consumer_version),
                )
                for pact in published.pacts
            ],
        },
    }
