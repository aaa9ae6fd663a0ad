"""/integrations and /dashboard bodies, shaped like the Pact Broker's IntegrationsDecorator and dashboard."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from accord.matrix.schemas import Integration
from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.pact_urls import pact_version_url
from accord.pact.resource_urls import pacticipant_url, version_url

# Accord's pair status in the broker's words.
_VERIFICATION_STATUS = {"verified": "success", "failed": "failed", "unverified": "never"}


def _pacticipant(links: Links, name: str) -> dict[str, Any]:
    return {"name": name, "_links": {"self": Link(href=pacticipant_url(links, name))}}


def _matrix_link(links: Links, integration: Integration) -> Link:
    consumer, provider = quote(integration.consumer, safe=""), quote(integration.provider, safe="")
    query = f"q[][pacticipant]={consumer}&q[][pacticipant]={provider}&latestby=cvpv"
    return Link(href=links.url("matrix") + "?" + query, title="Matrix of the integration")


def integrations_resource(links: Links, integrations: list[Integration]) -> dict[str, Any]:
    items = [
        {
            "consumer": _pacticipant(links, i.consumer),
            "provider": _pacticipant(links, i.provider),
            "verificationStatus": _VERIFICATION_STATUS[i.status],
            **({"latestVerificationPublishedAt": pact_time(i.verified_at)} if i.verified_at else {}),
            "_links": {
                "pb:latest-pact": Link(
                    href=pact_version_url(links, i.provider, i.consumer, i.contract_sha), title="Latest pact"
                ),
                "pb:matrix": _matrix_link(links, i),
            },
        }
        for i in integrations
    ]
    return {"_embedded": {"integrations": items}, "_links": {"self": Link(href=links.url("integrations"))}}


def dashboard_resource(links: Links, integrations: list[Integration]) -> dict[str, Any]:
    items = []
    for i in integrations:
        consumer = _pacticipant(links, i.consumer)
        consumer["version"] = {
            "number": i.latest_consumer_version,
            "_links": {"self": Link(href=version_url(links, i.consumer, i.latest_consumer_version))},
        }
        provider = _pacticipant(links, i.provider)
        if i.provider_version is not None:
            provider["version"] = {
                "number": i.provider_version,
                "_links": {"self": Link(href=version_url(links, i.provider, i.provider_version))},
            }
        verification: dict[str, Any] | None = None
        if i.status != "unverified":
            verification = {"success": i.status == "verified"}
            if i.verified_at:
                verification["verifiedAt"] = pact_time(i.verified_at)
        items.append(
            {
                "consumer": consumer,
                "provider": provider,
                "pact": {
                    "_links": {"self": Link(href=pact_version_url(links, i.provider, i.consumer, i.contract_sha))}
                },
                "verificationResult": verification,
                "_links": {"pb:matrix": _matrix_link(links, i)},
            }
        )
    return {"items": items, "_links": {"self": Link(href=links.url("dashboard"))}}
