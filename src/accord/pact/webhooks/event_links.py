"""Webhook links point at the Pact API's resources, as the broker's webhooks do (`${pactbroker.pactUrl}`)."""

from __future__ import annotations

from accord.pact.links import Links
from accord.pact.pact_urls import pact_version_url, verification_result_url


class PactEventLinks:
    """accord.webhooks.links.EventLinks over the Pact API's paths."""

    def contract_url(self, base_url: str, *, provider: str, consumer: str, sha: str) -> str:
        return pact_version_url(Links.at(base_url), provider, consumer, sha)

    def verification_result_url(self, base_url: str, *, provider: str, consumer: str, sha: str, result: str) -> str:
        return verification_result_url(Links.at(base_url), provider, consumer, sha, result)
