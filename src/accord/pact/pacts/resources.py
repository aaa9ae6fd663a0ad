"""HAL bodies of pacts and pact collections, shaped like the Pact Broker's (clients follow these relations)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from accord.contracts.schemas import ContractHead
from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.pact_urls import (
    latest_pact_url,
    pact_name,
    pact_version_url,
    verification_result_url,
    verification_results_url,
)
from accord.pact.pacts.views import PactView
from accord.pact.resource_urls import curies, pact_url, pacticipant_url, version_url


def pact_body(view: PactView, links: Links, *, metadata: str | None = None) -> dict[str, Any]:
    """The pact document with the broker's `_links`; `metadata` (from a pacts-for-verification link) travels
    on to the verification results link, as the broker's does."""
    provider, consumer, version, sha = view.provider, view.consumer, view.consumer_version, view.sha
    name = pact_name(consumer, provider, version)
    permalink = pact_version_url(links, provider, consumer, sha)
    body_links: dict[str, Any] = {
        "self": Link(
            href=pact_url(links, provider, consumer, version) if version else permalink, title="Pact", name=name
        ),
        "pb:consumer": Link(href=pacticipant_url(links, consumer), title="Consumer", name=consumer),
        "pb:provider": Link(href=pacticipant_url(links, provider), title="Provider", name=provider),
        "pb:pact-version": Link(href=permalink, title="Pact content version permalink", name=sha),
        "pb:latest-pact-version": Link(
            href=latest_pact_url(links, provider, consumer), title="Latest version of this pact"
        ),
        "pb:latest-tagged-pact-version": Link(
            href=latest_pact_url(links, provider, consumer) + "/{tag}",
            title="Latest tagged version of this pact",
            templated=True,
        ),
        "pb:publish-verification-results": Link(
            href=verification_results_url(links, provider, consumer, sha, metadata),
            title="Publish verification results",
        ),
        "pb:latest-verification-results": Link(
            href=verification_result_url(links, provider, consumer, sha, "latest"),
            title="Latest verification result of this pact version",
        ),
        "pb:pact-webhooks": Link(
            href=links.url("webhooks", "provider", provider, "consumer", consumer),
            title=f"Webhooks for the pact between {consumer} and {provider}",
        ),
        "curies": curies(links, "pact"),
    }
    if version:
        body_links["pb:tag-prod-version"] = Link(
            href=version_url(links, consumer, version, "tags", "prod"),
            title="PUT to this resource to tag this consumer version as 'production'",
        )
        body_links["pb:matrix-for-consumer-version"] = Link(
            href=links.url("matrix")
            + f"?q[][pacticipant]={quote(consumer, safe='')}&q[][version]={quote(version, safe='')}&latestby=cvpv",
            title="View matrix rows for the consumer version to which this pact belongs",
        )
        body_links["pb:consumer-version"] = Link(
            href=version_url(links, consumer, version), title="Consumer version", name=version
        )
        body_links["pb:tag-version"] = Link(
            href=version_url(links, consumer, version, "tags") + "/{tag}",
            title="PUT to this resource to tag this consumer version",
            templated=True,
        )
    return {**view.document, "createdAt": pact_time(view.created_at), "_links": body_links}


def _pacticipant(links: Links, name: str, version: str | None = None) -> dict[str, Any]:
    embedded: dict[str, Any] = {"name": name, "_links": {"self": Link(href=pacticipant_url(links, name))}}
    if version is not None:
        version_link = Link(href=version_url(links, name, version), title="Version", name=version)
        embedded["_embedded"] = {"version": {"number": version, "_links": {"self": version_link}}}
    return embedded


def provider_pacts_body(
    provider: str, pacts: Sequence[ContractHead], links: Links, *, page: dict[str, Any]
) -> dict[str, Any]:
    """A provider's pacts as links (GET /pacts/provider/{provider}/latest and friends); `page` holds `self`
    (and `next`, for paged collections)."""
    pact_links = [
        Link(
            href=pact_url(links, pact.provider, pact.consumer, pact.consumer_version),
            title=pact_name(pact.consumer, pact.provider, pact.consumer_version),
            name=pact.consumer,
        )
        for pact in pacts
    ]
    provider_href = pacticipant_url(links, provider)
    return {
        "_links": {
            **page,
            "pb:provider": Link(href=provider_href, name=provider),
            "pb:pacts": pact_links,
            # Deprecated relations the broker still serves; older clients read them.
            "provider": Link(href=provider_href, title=provider, name="DEPRECATED - please use pb:provider"),
            "pacts": pact_links,
        }
    }


def latest_pacts_body(pacts: Sequence[ContractHead], links: Links) -> dict[str, Any]:
    """GET /pacts/latest: the latest pact of every integration (what list-latest-pact-versions shows)."""
    return {
        "_links": {
            "self": Link(href=links.url("pacts", "latest")),
            "pb:pacts": [
                Link(
                    href=latest_pact_url(links, pact.provider, pact.consumer),
                    title=f"Latest pact between {pact.consumer} and {pact.provider}",
                )
                for pact in pacts
            ],
        },
        "pacts": [
            {
                "createdAt": pact_time(pact.created_at),
                "_embedded": {
                    "consumer": _pacticipant(links, pact.consumer, pact.consumer_version),
                    "provider": _pacticipant(links, pact.provider),
                },
                "_links": {
                    "self": [
                        Link(href=latest_pact_url(links, pact.provider, pact.consumer)),
                        Link(href=pact_url(links, pact.provider, pact.consumer, pact.consumer_version)),
                    ]
                },
            }
            for pact in pacts
        ],
    }
