"""The HAL body of pacts for verification: each pact's permalink, why it is verified and whether it is
pending, as verifiers read them."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import urlencode

from accord.pact.links import Link, Links
from accord.pact.pact_urls import for_verification_url, pact_name, pact_version_url
from accord.pact.resource_urls import pacticipant_url
from accord.pact.verification.notices import notices, short_descriptions
from accord.verification.selection import SelectedContract, SelectedContracts


def _metadata(pact: SelectedContract) -> str:
    """What the broker packs into a pact-for-verification URL (Rack-style query, base64url): the selectors
    that chose the pact, or that it is work in progress. It travels to the verification results URL."""
    pairs: list[tuple[str, str]] = []
    if pact.wip:
        pairs.append(("w", "true"))
    for selection in pact.selections:
        selector = selection.selector
        for key, value in (
            ("b", selection.label if selector.kind in ("main", "branch") else None),
            ("t", selection.label if selector.kind.startswith("tag") else None),
            ("l", "true" if selector.kind in ("main", "branch", "tag-latest", "latest") else None),
            ("e", selection.environment),
            ("cvn", selection.consumer_version),
        ):
            if value is not None:
                pairs.append((f"s[][{key}]", value))
    if pact.pending is not None:
        pairs.append(("p", "true" if pact.pending else "false"))
    return base64.urlsafe_b64encode(urlencode(pairs).encode()).decode().rstrip("=")


def _verifiable_pact(pact: SelectedContract, found: SelectedContracts, links: Links) -> dict[str, Any]:
    url = pact_version_url(links, pact.provider, pact.consumer, pact.sha, _metadata(pact))
    properties: dict[str, Any] = {}
    if found.include_pending_status:
        properties["pending"] = bool(pact.pending)
    if pact.wip:
        properties["wip"] = True
    properties["notices"] = notices(pact, url, found.provider_branch, pending_status=found.include_pending_status)
    return {
        "shortDescription": short_descriptions(pact),
        "verificationProperties": properties,
        "_links": {"self": Link(href=url, name=pact_name(pact.consumer, pact.provider, pact.consumer_version))},
    }


def verifiable_pacts_body(found: SelectedContracts, links: Links) -> dict[str, Any]:
    return {
        "_embedded": {"pacts": [_verifiable_pact(pact, found, links) for pact in found.contracts]},
        "_links": {
            "self": Link(href=for_verification_url(links, found.provider), title="Pacts to be verified"),
            "pb:provider": Link(href=pacticipant_url(links, found.provider), name=found.provider),
        },
    }
