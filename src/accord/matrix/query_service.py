"""Answers matrix queries: can the selected versions be deployed with the versions at their destination?

At most four statements whatever the query and the history: resolve the specified and ignore selectors (and,
in the same statement, check the destination environment exists); find the integrations of the specified
versions; resolve the inferred selectors (the destination's versions of every integrated service); fetch the
rows between the selectors. Then decide (accord.matrix.verdict).
"""

from __future__ import annotations

import itertools
from typing import Any
from uuid import UUID

from accord.contracts.following import ContractFollower
from accord.db.planning import generically_planned_reads
from accord.matrix.answer import LineStaticCheck, LineVerification, LineVersion, MatrixAnswer, MatrixLine
from accord.matrix.query import MatrixQuery, Selector
from accord.matrix.query_repository import CandidateRecordRow, IntegrationRow, MatrixQueryRepository, ResolvedRow
from accord.matrix.resolution import ResolvedSelector, ResolvedVersion, SelectorKind
from accord.matrix.verdict import CandidateRow, Integration, decide, row_status
from accord.tenant_ids import TenantId

# The other side of a lone selector: any service, any version.
_ANYONE = -1


def _resolve_rows(pending: list[ResolvedSelector], rows: list[ResolvedRow]) -> list[ResolvedSelector]:
    by_index = {s.index: s for s in pending}
    for row in rows:
        resolved = by_index[row.idx]
        # The LEFT JOINs fill a service's columns together, and a version's.
        if row.service_id is not None and row.service_name is not None:
            resolved.service_id = row.service_id
            resolved.name = row.service_name
            resolved.main_branch = row.main_branch
        if row.version_id is not None and row.number is not None and row.position is not None:
            resolved.versions.append(ResolvedVersion(id=row.version_id, number=row.number, position=row.position))
    return pending


def _mark_ignored(selectors: list[ResolvedSelector], ignores: list[ResolvedSelector]) -> None:
    for s in selectors:
        for ignore in ignores:
            if ignore.service_id is None or ignore.service_id != s.service_id:
                continue
            if ignore.any_version or (s.versions and s.version_ids <= ignore.version_ids):
                s.ignored = True


def _integrations(rows: list[IntegrationRow]) -> list[Integration]:
    found: dict[tuple[UUID, UUID], Integration] = {}
    for row in rows:
        key = (row.consumer_id, row.provider_id)
        if key not in found or row.required:
            found[key] = Integration(
                consumer_id=row.consumer_id,
                consumer=row.consumer,
                provider_id=row.provider_id,
                provider=row.provider,
                required=row.required,
            )
    return sorted(found.values(), key=lambda i: (i.consumer, i.provider))


def _pairs(selectors: list[ResolvedSelector]) -> list[tuple[int, int, bool]]:
    """(consumer selector, provider selector, verified only): rows between selected versions, at least one
    side specified. A lone selector is matched with anyone: as a consumer, all its contracts; as a provider,
    what it verified."""
    known = [s for s in selectors if s.service_id is not None]
    if len(selectors) == 1:
        return [(known[0].index, _ANYONE, False), (_ANYONE, known[0].index, True)] if known else []
    return [
        (consumer.index, provider.index, False)
        for consumer, provider in itertools.permutations(known, 2)
        if "specified" in (consumer.kind, provider.kind)
    ]


def _version(number: str | None, position: int | None, branches: list[str], tags: list[str]) -> LineVersion | None:
    if number is None or position is None:
        return None
    return LineVersion(number=number, position=position, branches=tuple(branches), tags=tuple(tags))


def _latest_by(query: MatrixQuery, rows: list[CandidateRow]) -> list[CandidateRow]:
    """Collapse rows per consumer version and provider (cvp) or per pair (cp): the newest provider version
    that has a verdict wins, else the newest selected one. cvpv rows are collapsed by the SQL already."""
    if query.latestby not in ("cvp", "cp"):
        return rows
    groups: dict[tuple[UUID, ...], list[CandidateRow]] = {}
    for row in rows:
        key: tuple[UUID, ...] = (row.consumer_id, row.provider_id)
        if query.latestby == "cvp":
            key += (row.consumer_version_id,)
        groups.setdefault(key, []).append(row)
    kept: set[int] = set()
    for group in groups.values():
        verified = [row for row in group if row.line.verification is not None] or group
        best = max(
            verified,
            key=lambda row: (
                row.line.provider_version.position if row.line.provider_version else -1,
                row.line.consumer_version.position,
            ),
        )
        kept.add(id(best))
    return [row for row in rows if id(row) in kept]


class MatrixQueryService:
    """can-i-deploy and the matrix, for any selectors and destination. Every answer derives the tenant's pending
    contracts first (routes that only ask it opt out of the settle_pending_contracts guard: SETTLES_ITSELF)."""

    def __init__(self, tenant: TenantId, *, follower: ContractFollower) -> None:
        self.repository = MatrixQueryRepository(tenant)
        self.follower = follower

    async def environment_exists(self, name: str) -> bool:
        return await self.repository.environment_exists(name)

    async def answer(self, query: MatrixQuery) -> MatrixAnswer:
        await self.follower.settle()  # every recorded batch counts, derived or not
        # One snapshot for the whole answer, planned generically (planning was most of can-i-deploy's time).
        async with generically_planned_reads():
            answer = await self._answer(query)
        # Returned outside the block: Piccolo types the transaction's __aexit__ as possibly swallowing errors.
        return answer  # noqa: RET504

    async def _answer(self, query: MatrixQuery) -> MatrixAnswer:
        counter = itertools.count()

        def pending(kind: SelectorKind, selectors: list[Selector]) -> list[ResolvedSelector]:
            return [ResolvedSelector(index=next(counter), kind=kind, selector=s) for s in selectors]

        specified = pending("specified", list(query.selectors))
        ignores = pending("ignore", [Selector(service=i.service, version=i.version) for i in query.ignore])
        first = specified + ignores
        resolved = await self.repository.resolve([(s.index, s.selector) for s in first], destination=query.environment)
        _resolve_rows(first, resolved)
        unknown_environment = None
        if query.environment:
            # Every selector yields a row, so only a query without selectors asks on its own.
            exists = resolved[0].destination_known if resolved else await self.environment_exists(query.environment)
            unknown_environment = None if exists else query.environment
        _mark_ignored(specified, ignores)

        known = [s for s in specified if s.service_id is not None]
        integration_rows = await self.repository.integrations(
            consumer_versions=[v.id for s in known if not s.any_version for v in s.versions],
            consumers=[s.service_id for s in known if s.any_version and s.service_id],
            providers=[s.service_id for s in known if s.service_id],
        )
        integrations = _integrations(integration_rows)
        if len(specified) > 1 and not query.infers_integrations:
            # Without a destination, only the integrations between the specified services count.
            names = {s.name for s in known}
            integrations = [i for i in integrations if i.consumer in names and i.provider in names and i.required]

        inferred: list[ResolvedSelector] = []
        if query.infers_integrations:
            specified_names = {s.name for s in known}
            others = sorted({n for i in integrations for n in (i.consumer, i.provider)} - specified_names)
            inferred = pending("inferred", [self._destination(query, name) for name in others])
            if inferred:
                _resolve_rows(inferred, await self.repository.resolve([(s.index, s.selector) for s in inferred]))
                _mark_ignored(inferred, ignores)

        selectors = specified + inferred
        pairs = _pairs(selectors)
        rows: list[CandidateRow] = []
        if pairs:
            rows = self._candidates(query, selectors, ignores, await self._rows(query, selectors, pairs))
        verdict = decide(query, rows, specified=specified, ignores=ignores, integrations=integrations)
        return MatrixAnswer(
            deployable=verdict.deployable,
            findings=verdict.findings,
            success=verdict.success,
            failed=verdict.failed,
            unknown=verdict.unknown,
            ignored=verdict.ignored,
            lines=[row.line for row in rows if not row.line.ignored] + [row.line for row in rows if row.line.ignored],
            unknown_services=sorted({s.selector.service for s in specified if s.service_id is None}),
            unknown_environment=unknown_environment,
            missing_versions=[s.missing() for s in specified if s.service_id and not s.exists],
        )

    @staticmethod
    def _destination(query: MatrixQuery, name: str) -> Selector:
        return Selector(
            service=name,
            latest=query.latest,
            tag=query.tag,
            main_branch=query.main_branch,
            environment=query.environment,
        )

    async def _rows(
        self, query: MatrixQuery, selectors: list[ResolvedSelector], pairs: list[tuple[int, int, bool]]
    ) -> list[CandidateRecordRow]:
        table: list[tuple[int, UUID | None, bool]] = [
            (s.index, s.service_id, s.any_version) for s in selectors if s.service_id is not None
        ]
        table.append((_ANYONE, None, True))
        return await self.repository.rows(
            selectors=table,
            versions=[(s.index, v.id) for s in selectors for v in s.versions],
            pairs=pairs,
            every_verdict=query.latestby is None,
            limit=query.limit,
        )

    @staticmethod
    def _candidates(
        query: MatrixQuery,
        selectors: list[ResolvedSelector],
        ignores: list[ResolvedSelector],
        raw: list[CandidateRecordRow],
    ) -> list[CandidateRow]:
        by_index = {s.index: s for s in selectors}
        seen: set[tuple[Any, ...]] = set()
        rows: list[CandidateRow] = []
        for row in raw:
            key = (row.publication_id, row.provider_version_id, row.verification_id)
            if key in seen:
                continue
            seen.add(key)
            provider_selector = by_index.get(row.p_idx)
            verification = (
                LineVerification(id=row.verification_id, success=row.success, verified_at=row.verified_at)
                # a verdict's columns are NOT NULL: all three or none
                if row.verification_id is not None and row.success is not None and row.verified_at is not None
                else None
            )
            consumer_version = _version(
                row.consumer_version, row.consumer_position, row.consumer_branches, row.consumer_tags
            )
            provider_version = _version(
                row.provider_version, row.provider_position, row.provider_branches, row.provider_tags
            )
            if consumer_version is None:  # a publication always has its consumer version; keeps types honest
                continue
            static_check = (
                LineStaticCheck(
                    id=row.static_check_id,
                    passed=row.static_status == "passed",
                    checked_at=row.static_checked_at,
                    spec_verified=row.static_spec_verified,
                    mismatches=tuple(row.static_messages or ()),
                )
                if row.static_check_id is not None
                else None
            )
            ignored = any(
                ignore.matches(row.consumer_id, row.consumer_version_id)
                or ignore.matches(row.provider_id, row.provider_version_id)
                for ignore in ignores
            )
            absent = provider_selector is not None and not provider_selector.any_version
            rows.append(
                CandidateRow(
                    consumer_id=row.consumer_id,
                    consumer_version_id=row.consumer_version_id,
                    provider_id=row.provider_id,
                    provider_version_id=row.provider_version_id,
                    consumer_selector=by_index.get(row.c_idx),
                    provider_selector=provider_selector,
                    line=MatrixLine(
                        consumer=row.consumer,
                        consumer_version=consumer_version,
                        provider=row.provider,
                        provider_version=provider_version,
                        contract_sha=row.sha,
                        published_at=row.published_at,
                        status=row_status(
                            verification, provider_version=provider_version, absent=absent, static_check=static_check
                        ),
                        verification=verification,
                        static_check=static_check,
                        ignored=ignored,
                    ),
                )
            )
        return _latest_by(query, rows)
