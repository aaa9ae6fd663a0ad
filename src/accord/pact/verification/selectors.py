"""Consumer version selectors, translated: the Pact request's selectors (checked for contradictions, as the
broker does) become the native VersionSelectors that ContractSelection runs."""

from __future__ import annotations

import datetime

from accord.errors import FieldError, InvalidInput
from accord.pact.verification.schemas import ConsumerVersionSelector, PactsForVerificationQuery
from accord.verification.selection import (
    DEFAULT_SELECTORS,
    ContractSelection,
    SelectedContracts,
    SelectorKind,
    VersionSelector,
)


def _selector_errors(selector: ConsumerVersionSelector, provider_branch: str | None) -> list[str]:
    errors = []
    criteria = {
        name
        for name in ("branch", "tag", "fallback_branch", "fallback_tag", "deployed", "released", "environment")
        if getattr(selector, name) not in (None, False)
    } | ({"deployed_or_released"} if selector.deployed_or_released else set())
    if selector.main_branch and (criteria or selector.latest is False or selector.matching_branch):
        errors.append("cannot specify mainBranch=true with any other criteria apart from consumer")
    if selector.matching_branch and (criteria or selector.latest is False):
        errors.append("cannot specify matchingBranch=true with any other criteria apart from consumer")
    if selector.matching_branch and not provider_branch:
        errors.append("the providerVersionBranch must be specified when the selector matchingBranch=true is used")
    if selector.tag and selector.branch:
        errors.append("cannot specify both a tag and a branch")
    if selector.fallback_tag and not selector.tag:
        errors.append("a tag must be specified when a fallbackTag is specified")
    if selector.fallback_tag and not selector.latest:
        errors.append("fallbackTag can only be set if latest is true")
    if selector.fallback_branch and not selector.branch:
        errors.append("a branch must be specified when a fallbackBranch is specified")
    if selector.branch and selector.latest is False:
        errors.append("cannot specify a branch with latest=false")
    if selector.deployed and selector.released:
        errors.append("cannot specify both deployed=true and released=true")
    if selector.deployed_or_released and (selector.deployed or selector.released):
        errors.append("cannot specify deployedOrReleased=true with deployed=true or released=true")
    if not (criteria or selector.main_branch or selector.matching_branch or selector.latest):
        errors.append(
            "must specify a value for environment or tag or branch, or specify mainBranch=true, "
            "matchingBranch=true, latest=true, deployed=true, released=true or deployedOrReleased=true"
        )
    return errors


def _resolve(selector: ConsumerVersionSelector, provider_branch: str | None) -> list[VersionSelector]:
    consumer = selector.consumer
    if selector.main_branch:
        return [VersionSelector(kind="main", consumer=consumer)]
    if selector.matching_branch:
        return [VersionSelector(kind="branch", consumer=consumer, value=provider_branch)]
    if selector.branch:
        return [
            VersionSelector(kind="branch", consumer=consumer, value=selector.branch, fallback=selector.fallback_branch)
        ]
    if selector.tag:
        if selector.latest:
            return [
                VersionSelector(
                    kind="tag-latest", consumer=consumer, value=selector.tag, fallback=selector.fallback_tag
                )
            ]
        return [VersionSelector(kind="tag-all", consumer=consumer, value=selector.tag)]
    environment = selector.environment
    either = selector.deployed_or_released or not (selector.deployed or selector.released)
    if selector.deployed or selector.released or selector.deployed_or_released or environment:
        kinds: list[SelectorKind] = []
        if selector.deployed or either:
            kinds.append("deployed")
        if selector.released or either:
            kinds.append("released")
        return [VersionSelector(kind=kind, consumer=consumer, value=environment) for kind in kinds]
    return [VersionSelector(kind="latest", consumer=consumer)]


def resolve_selectors(query: PactsForVerificationQuery) -> list[VersionSelector]:
    """The selectors to run (the broker's defaults when none are given); InvalidInput for contradictions."""
    if not query.consumer_version_selectors:
        return list(DEFAULT_SELECTORS)
    errors: list[FieldError] = []
    resolved: list[VersionSelector] = []
    for index, selector in enumerate(query.consumer_version_selectors):
        problems = _selector_errors(selector, query.provider_version_branch)
        pointer = f"/consumerVersionSelectors/{index}"
        errors.extend(FieldError(detail=problem, pointer=pointer) for problem in problems)
        if not problems:
            resolved.extend(_resolve(selector, query.provider_version_branch))
    if errors:
        raise InvalidInput("Some consumer version selectors are not valid; see `errors`.", errors=errors)
    return list(dict.fromkeys(resolved))


def wip_since(value: str | None) -> datetime.datetime | None:
    """includeWipPactsSince: a date or a date-time (UTC unless it says otherwise)."""
    if value is None:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            "includeWipPactsSince is not a date.",
            errors=[FieldError(detail="must be a date or date-time (ISO 8601)", pointer="/includeWipPactsSince")],
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


async def pacts_for_verification(
    selection: ContractSelection, provider: str, query: PactsForVerificationQuery
) -> SelectedContracts:
    """The contracts the query selects; InvalidInput (before any read) for contradictory selectors or a bad date."""
    selectors = resolve_selectors(query)
    since = wip_since(query.include_wip_pacts_since)
    return await selection.select(
        provider,
        selectors,
        provider_branch=query.provider_version_branch,
        provider_tags=query.provider_version_tags,
        include_pending_status=query.include_pending_status,
        wip_since=since,
    )
