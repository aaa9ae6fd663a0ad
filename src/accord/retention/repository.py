"""The set-based queries of a clean: which versions no keep rule holds, what goes with them, and removing it."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from accord.retention.schemas import RemovedCounts
from tables.services import ServiceVersion

# Versions some keep rule holds. $2: how many latest versions of each branch to keep (0: none).
_KEPT_VERSIONS = f"""
kept AS (
    SELECT ranked.version FROM (
        SELECT bv.version, row_number() OVER (PARTITION BY bv.branch ORDER BY bv.position DESC) AS rank
        FROM branch_version bv WHERE bv.tenant = $1
    ) ranked WHERE ranked.rank <= $2
    UNION
    SELECT (
        SELECT bv.version FROM branch b JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = b.id
        WHERE b.tenant = $1 AND b.service = s.id AND b.name = {main_branch_sql("s")}
        ORDER BY bv.position DESC LIMIT 1
    ) FROM service s WHERE s.tenant = $1
    UNION
    (SELECT DISTINCT ON (latest.service) latest.id FROM service_version latest
     WHERE latest.tenant = $1 ORDER BY latest.service, latest.position DESC)
    UNION
    SELECT d.version FROM deployment d WHERE d.tenant = $1 AND d.currently_deployed
    UNION
    SELECT r.version FROM release r WHERE r.tenant = $1 AND r.currently_supported
)"""

# $3: the age cut-off; younger rows are kept whatever else holds.
_REMOVABLE_VERSIONS = (
    "WITH "
    + _KEPT_VERSIONS
    + """
SELECT v.id FROM service_version v
WHERE v.tenant = $1 AND v.created_at < $3 AND NOT EXISTS (SELECT 1 FROM kept WHERE kept.version = v.id)
ORDER BY v.id"""
)

# Contract contents no publication outside the removed versions ($2) uses.
_UNUSED_CONTENTS = """
SELECT c.id FROM contract_content c
WHERE c.tenant = $1 AND c.created_at < $3 AND NOT EXISTS (
    SELECT 1 FROM contract_publication p
    WHERE p.tenant = $1 AND p.content = c.id AND p.consumer_version <> ALL($2::uuid[])
)
ORDER BY c.id"""

# Request vectors no interaction outside the removed versions ($2) refers to.
_UNUSED_VECTORS = """
SELECT rv.id FROM request_vector rv
WHERE rv.tenant = $1 AND rv.created_at < $3 AND NOT EXISTS (
    SELECT 1 FROM interaction i
    WHERE i.tenant = $1 AND i.vector_key = rv.key AND i.consumer_version <> ALL($2::uuid[])
)
ORDER BY rv.id"""

# $2: the removed versions, $3: the removed contents.
_DEPENDENT_COUNTS = """
SELECT
    (SELECT count(*) FROM contract_publication WHERE tenant = $1 AND consumer_version = ANY($2::uuid[]))
        AS contract_publications,
    (SELECT count(*) FROM interaction WHERE tenant = $1 AND consumer_version = ANY($2::uuid[])) AS interactions,
    (SELECT count(*) FROM verification_result
        WHERE tenant = $1 AND (provider_version = ANY($2::uuid[]) OR content = ANY($3::uuid[])))
        AS verification_results,
    (SELECT count(*) FROM static_check WHERE tenant = $1 AND content = ANY($3::uuid[])) AS static_checks,
    (SELECT count(*) FROM spec WHERE tenant = $1 AND version = ANY($2::uuid[])) AS specs,
    (SELECT count(*) FROM deployment WHERE tenant = $1 AND version = ANY($2::uuid[])) AS deployments,
    (SELECT count(*) FROM release WHERE tenant = $1 AND version = ANY($2::uuid[])) AS releases,
    (SELECT count(*) FROM tag WHERE tenant = $1 AND version = ANY($2::uuid[])) AS tags,
    (SELECT count(*) FROM branch_version WHERE tenant = $1 AND version = ANY($2::uuid[])) AS branch_versions,
    (SELECT count(*) FROM pending_contract WHERE tenant = $1 AND consumer_version = ANY($2::uuid[]))
        AS pending_contracts,
    (SELECT count(*) FROM fixture_version WHERE tenant = $1 AND version = ANY($2::uuid[])) AS fixture_versions
"""


class _Id(msgspec.Struct, frozen=True):
    id: UUID


class _DependentCounts(msgspec.Struct, frozen=True, kw_only=True):
    """The rows that go with a plan's versions and contents (_DEPENDENT_COUNTS), per kind."""

    contract_publications: int
    interactions: int
    verification_results: int
    static_checks: int
    specs: int
    deployments: int
    releases: int
    tags: int
    branch_versions: int
    pending_contracts: int
    fixture_versions: int


class RemovalPlan:
    """The rows of one tenant a clean removes: versions, and contents and vectors nothing else uses."""

    def __init__(self, versions: list[UUID], contents: list[UUID], vectors: list[UUID]) -> None:
        self.versions = versions
        self.contents = contents
        self.vectors = vectors

    def within(self, other: RemovalPlan) -> RemovalPlan:
        """This plan without the rows `other` did not plan (and so did not lock)."""
        versions, contents, vectors = set(other.versions), set(other.contents), set(other.vectors)
        return RemovalPlan(
            [v for v in self.versions if v in versions],
            [c for c in self.contents if c in contents],
            [r for r in self.vectors if r in vectors],
        )


class RetentionRepository(TenantRepository[ServiceVersion]):
    """One tenant's clean, in a constant number of statements whatever the number of versions."""

    table = ServiceVersion

    async def plan(self, latest_per_branch: int, cutoff: datetime.datetime) -> RemovalPlan:
        versions = [row.id for row in await self.fetch_as(_Id, _REMOVABLE_VERSIONS, latest_per_branch, cutoff)]
        return await self._plan_for(versions, cutoff)

    async def _plan_for(self, versions: list[UUID], cutoff: datetime.datetime) -> RemovalPlan:
        contents = [row.id for row in await self.fetch_as(_Id, _UNUSED_CONTENTS, versions, cutoff)]
        vectors = [row.id for row in await self.fetch_as(_Id, _UNUSED_VECTORS, versions, cutoff)]
        return RemovalPlan(versions, contents, vectors)

    async def counts(self, plan: RemovalPlan) -> RemovedCounts:
        counts = (await self.fetch_as(_DependentCounts, _DEPENDENT_COUNTS, plan.versions, plan.contents))[0]
        return RemovedCounts(
            versions=len(plan.versions),
            contract_contents=len(plan.contents),
            request_vectors=len(plan.vectors),
            **msgspec.structs.asdict(counts),
        )
