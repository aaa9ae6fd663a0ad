"""The HAL body of a verification result, as the broker shows one."""

from __future__ import annotations

from typing import Any

from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.pact_urls import pact_name, pact_version_url, verification_result_url
from accord.verification.schemas import VerificationResult


def verification_body(result: VerificationResult, links: Links) -> dict[str, Any]:
    provider, consumer, sha = result.provider, result.consumer, result.sha
    pact = pact_name(consumer, provider)
    return {
        "providerName": provider,
        "providerApplicationVersion": result.provider_version,
        "success": result.success,
        "verificationDate": pact_time(result.created_at),
        **({"buildUrl": result.build_url} if result.build_url is not None else {}),  # nil is left out
        "testResults": [
            {
                "interactionId": outcome.interaction,
                "success": outcome.success,
                **({"mismatches": outcome.mismatches} if outcome.mismatches else {}),
            }
            for outcome in result.results
        ],
        "verifiedBy": result.verified_by or {},  # the broker's nested object: empty, never null
        "_links": {
            "self": Link(
                href=verification_result_url(links, provider, consumer, sha, str(result.id)),
                title="Verification result",
                name=f"Verification result {result.id} for {pact}",
            ),
            "pb:pact-version": Link(href=pact_version_url(links, provider, consumer, sha), title="Pact", name=pact),
        },
    }
