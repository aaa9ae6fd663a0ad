"""Where each Pact resource lives: one function per resource, so every link to it agrees."""

from __future__ import annotations

from uuid import UUID

from accord.pact.links import Links


def pacticipant_url(links: Links, pacticipant: str, *rest: str) -> str:
    return links.url("pacticipants", pacticipant, *rest)


def version_url(links: Links, pacticipant: str, number: str, *rest: str) -> str:
    return links.url("pacticipants", pacticipant, "versions", number, *rest)


def tag_url(links: Links, pacticipant: str, number: str, tag: str) -> str:
    return version_url(links, pacticipant, number, "tags", tag)


def branch_url(links: Links, pacticipant: str, branch: str, *rest: str) -> str:
    return links.url("pacticipants", pacticipant, "branches", branch, *rest)


def branch_version_url(links: Links, pacticipant: str, branch: str, number: str) -> str:
    return branch_url(links, pacticipant, branch, "versions", number)


def environment_url(links: Links, environment_id: UUID, *rest: str) -> str:
    return links.url("environments", str(environment_id), *rest)


def deployed_version_url(links: Links, deployment_id: UUID) -> str:
    return links.url("deployed-versions", str(deployment_id))


def released_version_url(links: Links, release_id: UUID) -> str:
    return links.url("released-versions", str(release_id))


def pact_url(links: Links, provider: str, consumer: str, consumer_version: str) -> str:
    return links.url("pacts", "provider", provider, "consumer", consumer, "version", consumer_version)


def curies(links: Links, context: str) -> list[dict[str, object]]:
    return [{"name": "pb", "href": f"{links.base}/doc/{{rel}}?context={context}", "templated": True}]


def label_url(links: Links, pacticipant: str, label: str) -> str:
    return links.url("pacticipants", pacticipant, "labels", label)
