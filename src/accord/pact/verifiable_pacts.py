"""Pacts for verification: which pacts a provider build verifies, deduplicated by content, with whether each
is pending for the provider's branch (or tags) and the work-in-progress pacts (see the Pact Broker's docs).

A pact is pending for a provider branch until a version of the provider on that branch has verified it
successfully (or a version on another branch did before the branch was created); a failing pending pact
must not fail the provider's build. Work-in-progress pacts are the newest pacts of consumer branches and
tags, published since a date, that nothing selected explicitly and that are pending. Reads only.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, Literal
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.errors import FieldError, InvalidInput
from accord.pact.pact_schemas import ConsumerVersionSelector, PactsForVerificationQuery
from accord.pact.verifiable_pact_repository import VerifiablePactRepository
from accord.tenancy.ids import TenantId

SelectorKind = Literal["main", "branch", "tag-latest", "tag-all", "latest", "deployed", "released"]


class ResolvedSelector(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer version selector as the query runs it; `value` is the branch, tag or environment."""

    kind: SelectorKind
    consumer: str | None = None
    value: str | None = None
    fallback: str | None = None
    default: bool = False  # one of the selectors used when the request names none


class Selection(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer version a selector selected, and what it matched (branch or tag name, environment)."""

    selector: ResolvedSelector
    consumer_version: str
    label: str | None
    environment: str | None


class VerifiablePact(msgspec.Struct, kw_only=True):
    consumer: str
    provider: str
    sha: str
    kind: str
    consumer_version: str  # the newest selected version with this content
    selections: list[Selection]
    wip: bool = False
    pending: bool | None = None
    pending_tags: list[str] = []
    non_pending_tags: list[str] = []
    wip_labels: list[tuple[str, str]] = []  # (via 'branch' or 'tag', name) of a work-in-progress pact


class VerifiablePacts(msgspec.Struct, kw_only=True):
    provider: str
    provider_branch: str | None
    provider_tags: list[str]
    include_pending_status: bool
    pacts: list[VerifiablePact]


_DEFAULT_SELECTORS = (
    ResolvedSelector(kind="main", default=True),
    ResolvedSelector(kind="latest", default=True),
    ResolvedSelector(kind="deployed", default=True),
    ResolvedSelector(kind="released", default=True),
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


def _resolve(selector: ConsumerVersionSelector, provider_branch: str | None) -> list[ResolvedSelector]:
    consumer = selector.consumer
    if selector.main_branch:
        return [ResolvedSelector(kind="main", consumer=consumer)]
    if selector.matching_branch:
        return [ResolvedSelector(kind="branch", consumer=consumer, value=provider_branch)]
    if selector.branch:
        return [
            ResolvedSelector(kind="branch", consumer=consumer, value=selector.branch, fallback=selector.fallback_branch)
        ]
    if selector.tag:
        if selector.latest:
            return [
                ResolvedSelector(
                    kind="tag-latest", consumer=consumer, value=selector.tag, fallback=selector.fallback_tag
                )
            ]
        return [ResolvedSelector(kind="tag-all", consumer=consumer, value=selector.tag)]
    environment = selector.environment
    either = selector.deployed_or_released or not (selector.deployed or selector.released)
    if selector.deployed or selector.released or selector.deployed_or_released or environment:
        kinds: list[SelectorKind] = []
        if selector.deployed or either:
            kinds.append("deployed")
        if selector.released or either:
            kinds.append("released")
        return [ResolvedSelector(kind=kind, consumer=consumer, value=environment) for kind in kinds]
    return [ResolvedSelector(kind="latest", consumer=consumer)]


def resolve_selectors(query: PactsForVerificationQuery) -> list[ResolvedSelector]:
    """The selectors to run (the broker's defaults when none are given); InvalidInput for contradictions."""
    if not query.consumer_version_selectors:
        return list(_DEFAULT_SELECTORS)
    errors: list[FieldError] = []
    resolved: list[ResolvedSelector] = []
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


def _group(
    rows: Sequence[dict[str, Any]], selectors: Sequence[ResolvedSelector], provider: str
) -> dict[UUID, VerifiablePact]:
    consumers_on_main = {
        row["consumer"] for row in rows if selectors[row["idx"]].kind == "main" and selectors[row["idx"]].default
    }
    pacts: dict[UUID, VerifiablePact] = {}
    for row in rows:
        selector = selectors[row["idx"]]
        # By default, a consumer's overall latest pact is verified only if it has no main branch pact.
        if selector.default and selector.kind == "latest" and row["consumer"] in consumers_on_main:
            continue
        pact = pacts.get(row["content_id"])
        if pact is None:
            pact = VerifiablePact(
                consumer=row["consumer"],
                provider=provider,
                sha=row["sha"],
                kind=row["kind"],
                consumer_version=row["consumer_version"],
                selections=[],
            )
            pacts[row["content_id"]] = pact
        selection = Selection(
            selector=selector,
            consumer_version=row["consumer_version"],
            label=row["label"],
            environment=row["environment"],
        )
        if selection not in pact.selections:
            pact.selections.append(selection)
    return pacts


class VerifiablePactService:
    """Which pacts a provider build verifies. Four statements at most, whatever the selectors."""

    def __init__(self, tenant: TenantId) -> None:
        self.catalog = ServiceCatalog(tenant)
        self.repository = VerifiablePactRepository(tenant)

    async def for_verification(self, provider: str, query: PactsForVerificationQuery) -> VerifiablePacts:
        selectors = resolve_selectors(query)
        since = wip_since(query.include_wip_pacts_since)
        branch = query.provider_version_branch or None
        tags = list(dict.fromkeys(query.provider_version_tags))
        provider_id = await self.catalog.service_id(provider)
        rows = await self.repository.selected(
            provider_id,
            [(index, s.kind, s.consumer, s.value, s.fallback) for index, s in enumerate(selectors)],
        )
        pacts = _group(rows, selectors, provider)
        wip: dict[UUID, VerifiablePact] = {}
        if since is not None and (branch or tags):
            for row in await self.repository.wip_candidates(provider_id, since):
                if row["content_id"] in pacts:
                    continue
                pact = wip.setdefault(
                    row["content_id"],
                    VerifiablePact(
                        consumer=row["consumer"],
                        provider=provider,
                        sha=row["sha"],
                        kind=row["kind"],
                        consumer_version=row["consumer_version"],
                        selections=[],
                        wip=True,
                    ),
                )
                if (row["via"], row["label"]) not in pact.wip_labels:
                    pact.wip_labels.append((row["via"], row["label"]))
        if query.include_pending_status or wip:
            verified = await self.repository.verified(provider_id, [*pacts, *wip], branch, tags)
            for content_id, pact in [*pacts.items(), *wip.items()]:
                _set_pending(pact, verified[content_id], branch, tags)
        return VerifiablePacts(
            provider=provider,
            provider_branch=branch,
            provider_tags=tags,
            include_pending_status=query.include_pending_status,
            pacts=[*pacts.values(), *(pact for pact in wip.values() if pact.pending)],
        )


def _set_pending(pact: VerifiablePact, verified: dict[str, Any], branch: str | None, tags: list[str]) -> None:
    if branch:
        pact.pending = not (verified["by_branch"] or verified["before_branch"])
    elif tags:
        pact.pending_tags = [tag for tag in tags if tag not in verified["tags"]]
        pact.non_pending_tags = [tag for tag in tags if tag in verified["tags"]]
        pact.pending = bool(pact.pending_tags)
    else:
        pact.pending = not verified["at_all"]
