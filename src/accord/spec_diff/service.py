"""Spec diffs: what changed between two spec versions of a provider, and whom the breaking changes hit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

import anyio
import msgspec

from accord.errors import NotFound
from accord.spec_diff.changes import Change
from accord.spec_diff.diff import diff_documents
from accord.spec_diff.exchanges import exchanges_of
from accord.spec_diff.repository import LiveContractRepository, LivePublicationRow, SpecPairRepository, VersionSpecRow
from accord.spec_diff.schemas import AffectedConsumer, Impact, SpecChange, SpecDiffReport
from accord.spec_diff.usage import UsageMatcher
from accord.specs.operations import OPERATION_INDEXES, OperationIndex
from accord.tenant_ids import TenantId


class _StoredSpec(NamedTuple):
    service_id: UUID
    content_sha: str
    content: str


class _Comparison(NamedTuple):
    changes: list[Change]
    operations: OperationIndex
    matcher: UsageMatcher


def _compare(old_text: str, new_text: str, index: OperationIndex | None) -> _Comparison:
    old_document = msgspec.json.decode(old_text, type=dict[str, Any])
    diff = diff_documents(old_document, msgspec.json.decode(new_text, type=dict[str, Any]))
    index = index or OperationIndex.from_document(old_document)
    return _Comparison(diff.changes, index, UsageMatcher(diff.changes, diff.old, index))


def _affected(
    rows: Sequence[LivePublicationRow], contents: dict[UUID, tuple[str, str]], matcher: UsageMatcher
) -> list[AffectedConsumer]:
    """One entry per (consumer version, environment) whose contract runs into a breaking change."""
    hits_by_content: dict[UUID, dict[int, set[str]]] = {}
    affected: list[AffectedConsumer] = []
    for row in rows:
        content_id = row.content_id
        if content_id not in hits_by_content:  # versions and environments share contents: match each once
            kind, text = contents.get(content_id, ("", "null"))
            hits_by_content[content_id] = matcher.hits(exchanges_of(kind, msgspec.json.decode(text)))
        hits = hits_by_content[content_id]
        if not hits:
            continue
        affected.append(
            AffectedConsumer(
                consumer=row.consumer,
                consumer_version=row.consumer_version,
                environment=row.environment,
                deployed=row.deployed,
                released=row.released,
                changes=sorted(hits),
                interactions=sorted(set().union(*hits.values())),
                impacts=[Impact(change=position, interactions=sorted(hits[position])) for position in sorted(hits)],
            )
        )
    return affected


class SpecDiffService:
    """Compares two spec versions of a provider and finds the running consumer versions its breaking changes hit."""

    def __init__(self, tenant: TenantId) -> None:
        self.specs = SpecPairRepository(tenant)
        self.contracts = LiveContractRepository(tenant)

    async def diff(self, service: str, from_version: str, to_version: str) -> SpecDiffReport:
        rows = {row.number: row for row in await self.specs.of_versions(service, [from_version, to_version])}
        old, new = _stored(service, rows, from_version), _stored(service, rows, to_version)
        # The cache is the event loop's (no locking): read and fill it here, build in the worker thread.
        comparison = await anyio.to_thread.run_sync(
            _compare, old.content, new.content, OPERATION_INDEXES.get(old.content_sha)
        )
        OPERATION_INDEXES.put(old.content_sha, comparison.operations)
        affected = await self._affected(old.service_id, comparison.matcher) if comparison.matcher.active else []
        return SpecDiffReport(
            service=service,
            from_version=from_version,
            to=to_version,
            from_sha=old.content_sha,
            to_sha=new.content_sha,
            breaking=any(item.breaking for item in comparison.changes),
            changes=[
                SpecChange(
                    kind=item.kind,
                    breaking=item.breaking,
                    operation=item.operation,
                    pointer=item.pointer,
                    document=item.document,
                    message=item.message,
                )
                for item in comparison.changes
            ],
            affected=affected,
        )

    async def _affected(self, provider_id: UUID, matcher: UsageMatcher) -> list[AffectedConsumer]:
        rows = await self.contracts.live_publications(provider_id)
        if not rows:
            return []
        contents = await self.contracts.contents([row.content_id for row in rows])
        # Contracts can hold thousands of interactions: decode and match them off the event loop.
        return await anyio.to_thread.run_sync(_affected, rows, contents, matcher)


def _stored(service: str, rows: dict[str, VersionSpecRow], number: str) -> _StoredSpec:
    row = rows.get(number)
    if row is None:
        raise NotFound(f"Service '{service}' has no version '{number}'.")
    if row.content is None or row.content_sha is None:
        raise NotFound(f"{service} {number} has no spec.")
    return _StoredSpec(service_id=row.service_id, content_sha=row.content_sha, content=row.content)
