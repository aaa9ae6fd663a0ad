"""/integrations and /dashboard bodies, shaped like the Pact Broker's IntegrationsDecorator and
DashboardDecorator. Relations to resources Accord doesn't serve (the broker's `pb:dashboard` of one
integration, `pb:group`, `pb:delete_integration`, `pb:webhook-status`) are left out rather than sent broken."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from accord.contracts.schemas import Integration
from accord.http.numbered_pages import NumberedPage
from accord.pact.hal_pages import collection_links, page_fields
from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.pact_urls import pact_version_url, verification_result_url
from accord.pact.resource_urls import pacticipant_url, tag_url, version_url


def _verification_status(i: Integration) -> str:
    """The broker's words for where the pair stands."""
    return "never" if i.success is None else ("success" if i.success else "failed")


def _pacticipant(links: Links, name: str) -> dict[str, Any]:
    return {"name": name, "_links": {"self": Link(href=pacticipant_url(links, name))}}


def _matrix_link(links: Links, i: Integration) -> Link:
    consumer, provider = quote(i.consumer, safe=""), quote(i.provider, safe="")
    query = f"q[][pacticipant]={consumer}&q[][pacticipant]={provider}&latestby=cvpv"
    return Link(
        href=links.url("matrix") + "?" + query,
        title=f"Matrix of pacts/verification results for {i.consumer} and {i.provider}",
    )


def integrations_resource(links: Links, page: NumberedPage[Integration]) -> dict[str, Any]:
    items = [
        {
            "consumer": _pacticipant(links, i.consumer),
            "provider": _pacticipant(links, i.provider),
            "verificationStatus": _verification_status(i),
            **({"latestVerificationPublishedAt": pact_time(i.verified_at)} if i.verified_at else {}),
            "_links": {
                "pb:latest-pact": Link(
                    href=pact_version_url(links, i.provider, i.consumer, i.sha), title="Latest pact"
                ),
                "pb:matrix": _matrix_link(links, i),
            },
        }
        for i in page.items
    ]
    body: dict[str, Any] = {"_embedded": {"integrations": items}, **page_fields(page)}
    body["_links"] = collection_links(links.url("integrations"), page, size=page.size, title="All integrations")
    return body


def _version(number: str, branches: list[str]) -> dict[str, Any]:
    # `branch` is the last branch the version joined, `headBranchNames` every branch it is on (as the broker).
    return {"number": number, "branch": branches[-1] if branches else None, "headBranchNames": branches}


def _tags(links: Links, pacticipant: str, version: str, names: list[str], latest: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "latest": name in latest,
            "_links": {"self": Link(href=tag_url(links, pacticipant, version, name))},
        }
        for name in names
    ]


def dashboard_item(links: Links, i: Integration) -> dict[str, Any]:
    consumer = _pacticipant(links, i.consumer)
    consumer["version"] = _version(i.consumer_version, i.consumer_version_branches)
    consumer["version"]["_links"] = {"self": Link(href=version_url(links, i.consumer, i.consumer_version))}
    provider: dict[str, Any] = {**_pacticipant(links, i.provider), "version": None}
    verification: dict[str, Any] | None = None
    verification_tags: list[dict[str, Any]] = []
    if i.success is not None and i.verified_at is not None and i.provider_version is not None:
        provider["version"] = _version(i.provider_version, i.provider_version_branches)
        provider["version"]["_links"] = {"self": Link(href=version_url(links, i.provider, i.provider_version))}
        verification = {
            "success": i.success,
            "verifiedAt": pact_time(i.verified_at),
            "_links": {"self": Link(href=verification_result_url(links, i.provider, i.consumer, i.sha, "latest"))},
        }
        verification_tags = _tags(
            links, i.provider, i.provider_version, i.provider_version_tags, set(i.provider_latest_tags)
        )
    pact_tags = _tags(links, i.consumer, i.consumer_version, i.consumer_version_tags, set(i.consumer_version_tags))
    return {
        "consumer": consumer,
        "provider": provider,
        "pact": {
            "createdAt": pact_time(i.pact_created_at),
            "_links": {"self": Link(href=pact_version_url(links, i.provider, i.consumer, i.sha))},
        },
        "pactTags": pact_tags,
        "latestVerificationResult": verification,
        "verificationResult": verification,  # Accord's earlier name, kept for its existing readers
        "latestVerificationResultTags": verification_tags,
        "verificationStatus": _verification_status(i),
        "webhookStatus": i.webhook_status,
        "latestWebhookExecution": {"triggeredAt": pact_time(i.webhook_at)} if i.webhook_at else None,
        "_links": {"pb:matrix": _matrix_link(links, i)},
    }


def dashboard_resource(links: Links, page: NumberedPage[Integration]) -> dict[str, Any]:
    """Most recently active first, as the broker orders it."""
    body: dict[str, Any] = {"items": [dashboard_item(links, i) for i in page.items], **page_fields(page)}
    body["_links"] = collection_links(links.url("dashboard"), page, size=page.size)
    return body
