"""Where pacts, pact versions and their verification results live (pacticipants and versions: resource_urls).

Arguments go provider first, then consumer, like the paths (and resource_urls.pact_url)."""

from __future__ import annotations

from accord.pact.links import Links


def latest_pact_url(links: Links, provider: str, consumer: str) -> str:
    return links.url("pacts", "provider", provider, "consumer", consumer, "latest")


def pact_version_url(links: Links, provider: str, consumer: str, sha: str, metadata: str | None = None) -> str:
    extra = ("metadata", metadata) if metadata else ()
    return links.url("pacts", "provider", provider, "consumer", consumer, "pact-version", sha, *extra)


def verification_results_url(links: Links, provider: str, consumer: str, sha: str, metadata: str | None = None) -> str:
    """Where verifiers POST results (the pact's pb:publish-verification-results)."""
    return pact_version_url(links, provider, consumer, sha, metadata) + "/verification-results"


def verification_result_url(links: Links, provider: str, consumer: str, sha: str, result: str) -> str:
    """One result by id, or 'latest'."""
    return links.url(
        "pacts", "provider", provider, "consumer", consumer, "pact-version", sha, "verification-results", result
    )


def for_verification_url(links: Links, provider: str) -> str:
    return links.url("pacts", "provider", provider, "for-verification")


def pact_name(consumer: str, provider: str, consumer_version: str | None = None) -> str:
    if consumer_version is None:
        return f"Pact between {consumer} and {provider}"
    return f"Pact between {consumer} ({consumer_version}) and {provider}"
