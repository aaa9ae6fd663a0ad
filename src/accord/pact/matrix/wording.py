"""A matrix answer's findings worded as the Pact Broker's notices, which `can-i-deploy` users read in their
pipelines: "pact" for a contract and "pacticipant" for a service, and versions described by their selectors."""

from __future__ import annotations

from typing import Literal

from accord.matrix.findings import (
    AllVerified,
    CannotIgnore,
    ContractFailsSpec,
    Finding,
    MissingVersion,
    NoDestination,
    NoMissingDependencies,
    PickedVersion,
    SpecNotSelfVerified,
    UncoveredIntegration,
    UnpinnedSelector,
    UntrustedSpec,
    UnverifiedContract,
    VerificationFailed,
)
from accord.matrix.self_verification import missing_self_verification

NoticeType = Literal["error", "warning", "success"]

_NO_DESTINATION = (
    "WARN: It is recommended to specify the environment into which you are deploying. "
    "Without the environment, this result will not be reliable."
)
_UNPINNED = (
    "WARN: It is recommended to specify the version number (rather than the tag or branch) of the "
    "pacticipant you wish to deploy to avoid race conditions. Without a version number, this result "
    "will not be reliable."
)


def _found(number: str | None) -> str:
    return f"({number})" if number else "(no such version exists)"


def describe(picked: PickedVersion) -> str:
    """How the broker describes a version by the selector that picked it."""
    s, name, number = picked.selector, picked.service, picked.number
    if s is None:
        return f"version {number} of {name}" if number else f"any version of {name}"
    branch = s.branch or (picked.main_branch if s.main_branch else None)
    which = "one of the versions" if picked.several else "the version"
    if s.latest and s.tag:
        return f"the latest version of {name} with tag {s.tag} {_found(number)}"
    if s.main_branch and number is None:
        latest = "the latest version" if s.latest else "any version"
        return f"{latest} of {name} from the main branch (no versions exist for this branch)"
    if s.latest and branch:
        return f"the latest version of {name} from branch {branch} {_found(number)}"
    if branch:
        if number is None:
            return f"a version of {name} from branch {branch} (no such version exists)"
        return f"{which} of {name} from branch {branch} ({number})"
    if s.latest:
        return f"the latest version of {name} ({number or 'no such version exists'})"
    if s.tag:
        return f"a version of {name} with tag {s.tag} {_found(number)}"
    if s.environment:
        if number is None:
            return (
                f"a version of {name} currently in {s.environment} "
                "(no version is currently recorded as deployed/released in this environment)"
            )
        return f"{which} of {name} currently in {s.environment} ({number})"
    if not picked.service_exists:
        return f"any version of {name} (no such pacticipant exists)"
    if s.version and not picked.matched:
        return f"version {s.version} of {name} (no such version exists)"
    if number:
        return f"version {number} of {name}"
    return f"any version of {name}"


def missing_version(missing: MissingVersion) -> str:
    """Why a selector that must match a version matched none."""
    s, name = missing.selector, missing.service
    if s.tag:
        return f"No version with tag {s.tag} exists for {name}"
    if s.branch:
        return f"No version of {name} from branch {s.branch} exists"
    if s.main_branch:
        return f"No version of {name} from the main branch exists"
    if s.environment:
        return f"No version of {name} is currently recorded as deployed or released in environment {s.environment}"
    if s.version:
        return f"No pacts or verifications have been published for version {s.version} of {name}"
    return f"No pacts or verifications have been published for {name}"


def _untrusted(spec: UntrustedSpec) -> str:
    return missing_self_verification(spec.provider, spec.version, spec.spec_verified)


def _notice(finding: Finding) -> tuple[NoticeType, str]:
    match finding:
        case CannotIgnore(ignored=ignored):
            return "warning", f"WARN: Cannot ignore {describe(ignored)}"
        case NoDestination():
            return "warning", _NO_DESTINATION
        case UnpinnedSelector():
            return "warning", _UNPINNED
        case MissingVersion():
            return "error", missing_version(finding)
        case UncoveredIntegration(consumer=consumer, provider=provider):
            return "error", f"There is no verified pact between {consumer} and {provider}"
        case UnverifiedContract(consumer=consumer, provider=provider, untrusted_spec=spec):
            missing = f"There is no verified pact between {describe(consumer)} and {describe(provider)}"
            return "error", f"{missing}: {_untrusted(spec)}" if spec else missing
        case ContractFailsSpec(consumer=consumer, provider=provider, mismatches=mismatches):
            found = "; ".join(mismatches) or "mismatches"
            pair = f"{describe(consumer)} and {describe(provider)}"
            return "error", f"The pact between {pair} does not match the provider's OpenAPI spec: {found}"
        case SpecNotSelfVerified(consumer=consumer, provider=provider, spec=spec):
            pair = f"{describe(consumer)} and {describe(provider)}"
            return "error", f"The pact between {pair} is not verified: {_untrusted(spec)}"
        case VerificationFailed(consumer=consumer, provider=provider):
            pair = f"{describe(consumer)} and {describe(provider)}"
            return "error", f"The verification for the pact between {pair} failed"
        case AllVerified():
            return "success", "All required verification results are published and successful"
        case NoMissingDependencies():
            return "success", "There are no missing dependencies"


def notices(findings: list[Finding]) -> list[tuple[NoticeType, str]]:
    """In the findings' order, each text once (different findings may read the same)."""
    return list(dict.fromkeys(_notice(finding) for finding in findings))
