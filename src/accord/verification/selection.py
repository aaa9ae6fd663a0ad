"""Selecting the contracts a provider build verifies: deduplicated by content, with whether each is pending for
the provider's branch (or tags), and the work-in-progress contracts (the Pact Broker's rules, see its docs).

A contract is pending for a provider branch until a version of the provider on that branch has verified it
successfully (or a version on another branch did before the branch was created); a failing pending contract
must not fail the provider's build. Work-in-progress contracts are the newest contracts of consumer branches
and tags, published since a date, that nothing selected explicitly and that are pending. Reads only.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Literal
from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.tenant_ids import TenantId
from accord.verification.repository import VerificationRepository
from accord.verification.selection_queries import SelectedPublicationRow, VerifiedRow

SelectorKind = Literal["main", "branch", "tag-latest", "tag-all", "latest", "deployed", "released"]


class VersionSelector(msgspec.Struct, frozen=True, kw_only=True):
    """Which consumer versions to verify, as the query runs it; `value` is the branch, tag or environment."""

    kind: SelectorKind
    consumer: str | None = None
    value: str | None = None
    fallback: str | None = None
    default: bool = False  # one of the selectors used when the request names none


class Selection(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer version a selector selected, and what it matched (branch or tag name, environment)."""

    selector: VersionSelector
    consumer_version: str
    label: str | None
    environment: str | None


class SelectedContract(msgspec.Struct, kw_only=True):
    """A content to verify, and why (`selections`, or work in progress)."""

    content_id: UUID
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
    wip_labels: list[tuple[str, str]] = []  # (via 'branch' or 'tag', name) of a work-in-progress contract


class SelectedContracts(msgspec.Struct, kw_only=True):
    provider: str
    provider_branch: str | None
    provider_tags: list[str]
    include_pending_status: bool
    contracts: list[SelectedContract]


# What is verified when no selector is named.
DEFAULT_SELECTORS = (
    VersionSelector(kind="main", default=True),
    VersionSelector(kind="latest", default=True),
    VersionSelector(kind="deployed", default=True),
    VersionSelector(kind="released", default=True),
)


def _group(
    rows: Sequence[SelectedPublicationRow], selectors: Sequence[VersionSelector], provider: str
) -> dict[UUID, SelectedContract]:
    consumers_on_main = {
        row.consumer for row in rows if selectors[row.idx].kind == "main" and selectors[row.idx].default
    }
    contracts: dict[UUID, SelectedContract] = {}
    for row in rows:
        selector = selectors[row.idx]
        # By default, a consumer's overall latest contract is verified only if it has no main branch contract.
        if selector.default and selector.kind == "latest" and row.consumer in consumers_on_main:
            continue
        contract = contracts.get(row.content_id)
        if contract is None:
            contract = SelectedContract(
                content_id=row.content_id,
                consumer=row.consumer,
                provider=provider,
                sha=row.sha,
                kind=row.kind,
                consumer_version=row.consumer_version,
                selections=[],
            )
            contracts[row.content_id] = contract
        selection = Selection(
            selector=selector, consumer_version=row.consumer_version, label=row.label, environment=row.environment
        )
        if selection not in contract.selections:
            contract.selections.append(selection)
    return contracts


class ContractSelection:
    """Which contracts a provider build verifies. Four statements at most, whatever the selectors."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog) -> None:
        """Built by accord.composition.contract_selection, which hands in the catalog."""
        self.catalog = catalog
        self.repository = VerificationRepository(tenant)

    async def select(
        self,
        provider: str,
        selectors: Sequence[VersionSelector],
        *,
        provider_branch: str | None = None,
        provider_tags: Sequence[str] = (),
        include_pending_status: bool = False,
        wip_since: datetime.datetime | None = None,
    ) -> SelectedContracts:
        """`selectors` (DEFAULT_SELECTORS when the request names none); work in progress since `wip_since`
        (for a provider branch or tags)."""
        branch = provider_branch or None
        tags = list(dict.fromkeys(provider_tags))
        provider_id = await self.catalog.service_id(provider)
        rows = await self.repository.selected_publications(
            provider_id,
            [(index, s.kind, s.consumer, s.value, s.fallback) for index, s in enumerate(selectors)],
        )
        contracts = _group(rows, selectors, provider)
        wip: dict[UUID, SelectedContract] = {}
        if wip_since is not None and (branch or tags):
            for candidate in await self.repository.wip_candidates(provider_id, wip_since):
                if candidate.content_id in contracts:
                    continue
                contract = wip.setdefault(
                    candidate.content_id,
                    SelectedContract(
                        content_id=candidate.content_id,
                        consumer=candidate.consumer,
                        provider=provider,
                        sha=candidate.sha,
                        kind=candidate.kind,
                        consumer_version=candidate.consumer_version,
                        selections=[],
                        wip=True,
                    ),
                )
                if (candidate.via, candidate.label) not in contract.wip_labels:
                    contract.wip_labels.append((candidate.via, candidate.label))
        if include_pending_status or wip:
            verified = await self.repository.verified(provider_id, [*contracts, *wip], branch, tags)
            for content_id, contract in [*contracts.items(), *wip.items()]:
                _set_pending(contract, verified[content_id], branch, tags)
        return SelectedContracts(
            provider=provider,
            provider_branch=branch,
            provider_tags=tags,
            include_pending_status=include_pending_status,
            contracts=[*contracts.values(), *(contract for contract in wip.values() if contract.pending)],
        )


def _set_pending(contract: SelectedContract, verified: VerifiedRow, branch: str | None, tags: list[str]) -> None:
    if branch:
        contract.pending = not (verified.by_branch or verified.before_branch)
    elif tags:
        contract.pending_tags = [tag for tag in tags if tag not in verified.tags]
        contract.non_pending_tags = [tag for tag in tags if tag in verified.tags]
        contract.pending = bool(contract.pending_tags)
    else:
        contract.pending = not verified.at_all
