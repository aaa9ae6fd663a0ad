"""Verification results published by Pact verifiers, translated into Accord verification results.

A verifier names interactions by the `_id` Accord served (or by description); both map back to the key
Accord's verification results use, so a result published by `pact verifier` reads like a native one (and
counts in can-i-deploy and the matrix).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from accord.contracts.service import ContractService
from accord.errors import NotFound
from accord.pact.pacts.served import result_names
from accord.pact.verification.schemas import VerificationResultPublish
from accord.verification.schemas import ContractRef, InteractionOutcome, VerificationResult, VerificationResultCreate
from accord.verification.service import VerificationService


def _test_results(test_results: list[Any] | dict[str, Any] | None) -> list[dict[str, Any]]:
    """Per-interaction entries, whichever shape the verifier sent."""
    if isinstance(test_results, dict):  # older Ruby verifiers: {"tests": [...], "summary": {...}}
        test_results = test_results.get("tests")
    return [entry for entry in test_results or [] if isinstance(entry, dict)]


def _entry_key(entry: dict[str, Any], by_id: Mapping[str, str], by_description: Mapping[str, str]) -> str | None:
    for field, names in (
        ("interactionId", by_id),
        ("interactionDescription", by_description),
        ("description", by_description),
    ):
        value = entry.get(field)
        if isinstance(value, str) and value in names:
            return names[value]
    return None


# The bounds of accord.verification.schemas.InteractionOutcome, which stored results are read back with.
_KEY_MAX_LENGTH = 200
_MISMATCHES_MAX = 1000


def outcomes(
    test_results: list[Any] | dict[str, Any] | None, by_id: Mapping[str, str], by_description: Mapping[str, str]
) -> list[InteractionOutcome]:
    """One outcome per interaction the results name. Entries naming none Accord knows are left out, and so are
    interactions whose key (a pact description) is longer than Accord's results can name."""
    merged: dict[str, InteractionOutcome] = {}
    for entry in _test_results(test_results):
        key = _entry_key(entry, by_id, by_description)
        if key is None or len(key) > _KEY_MAX_LENGTH:
            continue
        success = entry.get("success") is not False and entry.get("status") not in ("failed", "error")
        found = [*_as_list(entry.get("mismatches")), *_as_list(entry.get("exceptions"))]
        outcome = merged.setdefault(key, InteractionOutcome(interaction=key, success=True, mismatches=[]))
        outcome.success = outcome.success and success
        outcome.mismatches = [*outcome.mismatches, *found][:_MISMATCHES_MAX]
    return list(merged.values())


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


async def publish_result(
    contracts: ContractService,
    verifications: VerificationService,
    *,
    provider: str,
    consumer: str,
    sha: str,
    data: VerificationResultPublish,
) -> VerificationResult:
    """A verifier's result of a pact version (a content), recorded through the native verification service."""
    content = await contracts.get_by_sha(sha, consumer=consumer, provider=provider)
    by_id, by_description = result_names(content.kind, content.content)
    results = outcomes(data.test_results, by_id, by_description)
    # Results that report a failed interaction are a failure, whatever their overall flag says.
    success = data.success and all(outcome.success for outcome in results)
    return await verifications.record(
        provider,
        VerificationResultCreate(
            provider_version=data.provider_application_version,
            provider_branch=data.provider_version_branch,
            contract=ContractRef(consumer=consumer, sha=sha),
            success=success,
            results=results,
            verified_by=data.verified_by,
            build_url=data.build_url,
        ),
        provider_tags=data.provider_version_tags,
    )


async def result_of(
    contracts: ContractService,
    verifications: VerificationService,
    *,
    provider: str,
    consumer: str,
    sha: str,
    result_id: str,
) -> VerificationResult:
    """A result of the pact version by id, or its newest one for 'latest'."""
    not_found = NotFound(f"No verification result '{result_id}' of pact version {sha}.")
    if result_id == "latest":
        content = await contracts.get_by_sha(sha, consumer=consumer, provider=provider)
        latest = await verifications.latest_result_id(content.id)
        if latest is None:
            raise not_found
        wanted = latest
    else:
        try:
            wanted = UUID(result_id)
        except ValueError:
            raise not_found from None
    result = await verifications.get(wanted, provider=provider)
    if result.consumer != consumer or result.sha != sha:
        raise not_found
    return result
