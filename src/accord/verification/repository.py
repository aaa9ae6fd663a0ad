"""Queries behind verification tasks and results."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from accord.verification import selection_queries as selection
from accord.verification.schemas import SelectionReason
from accord.verification.selection_queries import SelectedPublicationRow, VerifiedRow, WipCandidateRow
from tables.contracts import VerificationResult

_RESULT_COLUMNS = (
    "r.id, r.success, r.results, r.verified_by, r.build_url, r.created_at, "
    "pv.number AS provider_version, ps.name AS provider, cs.name AS consumer, c.sha"
)
_RESULT_JOINS = (
    "JOIN service_version pv ON pv.id = r.provider_version AND pv.tenant = $1 "
    "JOIN service ps ON ps.id = r.provider AND ps.tenant = $1 "
    "JOIN service cs ON cs.id = r.consumer AND cs.tenant = $1 "
    "JOIN contract_content c ON c.id = r.content AND c.tenant = $1 "
)


class SelectedContractRow(Row, frozen=True, kw_only=True):
    """A consumer version whose contract with the provider must be verified, and why."""

    consumer_version: UUID
    content: UUID
    reason: SelectionReason
    environment: str | None
    number: str
    position: int
    consumer: str
    sha: str
    kind: str


class ResultRow(Row, frozen=True, kw_only=True):
    """A verification result (_RESULT_COLUMNS); `results` and `verified_by` are jsonb, which raw SQL gives as text."""

    id: UUID
    success: bool
    results: Any
    verified_by: Any
    build_url: str | None
    created_at: datetime.datetime
    provider_version: str
    provider: str
    consumer: str
    sha: str


class LatestResultRow(ResultRow, frozen=True, kw_only=True):
    content_id: UUID


class ContentRow(Row, frozen=True, kw_only=True):
    """A contract content a result can be recorded against; `content` is jsonb (text)."""

    id: UUID
    consumer: UUID
    content: Any


class VerificationRepository(TenantRepository[VerificationResult]):
    table = VerificationResult

    async def selected_contracts(self, provider_id: UUID, environment: str | None) -> list[SelectedContractRow]:
        """Consumer versions whose contracts with the provider must be verified, with why (one statement):
        currently deployed or released ones (in `environment` if given), and the newest version of each
        consumer's main branch that has a contract with the provider."""
        rows = await self.fetch(
            "WITH selected AS ("
            "  SELECT p.consumer_version, p.content, 'deployed' AS reason, e.name AS environment "
            "  FROM contract_publication p "
            "  JOIN deployment d ON d.tenant = $1 AND d.version = p.consumer_version AND d.currently_deployed "
            "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "  WHERE p.tenant = $1 AND p.provider = $2 AND ($3::text IS NULL OR e.name = $3) "
            "  UNION "
            "  SELECT p.consumer_version, p.content, 'released', e.name "
            "  FROM contract_publication p "
            "  JOIN release r ON r.tenant = $1 AND r.version = p.consumer_version AND r.currently_supported "
            "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
            "  WHERE p.tenant = $1 AND p.provider = $2 AND ($3::text IS NULL OR e.name = $3) "
            "  UNION "
            # Each consumer of the provider: its main branch, walked down from the head to the first version with a
            # contract (LATERAL ... LIMIT 1: index steps per consumer, not a join of every branch and publication,
            # which grew with the history: 3.3 ms on the large demo history, 0.4 ms on the small).
            "  SELECT head.consumer_version, head.content, 'main-branch', NULL::text "
            "  FROM (SELECT DISTINCT p.consumer FROM contract_publication p WHERE p.tenant = $1 AND p.provider = $2) "
            "    AS consumers "
            "  JOIN service s ON s.tenant = $1 AND s.id = consumers.consumer "
            "  CROSS JOIN LATERAL (SELECT b.id FROM branch b WHERE b.tenant = $1 AND b.service = s.id "
            f"    AND b.name = {main_branch_sql('s')} LIMIT 1) AS b "
            "  CROSS JOIN LATERAL (SELECT p.consumer_version, p.content FROM branch_version bv "
            "    JOIN contract_publication p ON p.tenant = $1 AND p.consumer_version = bv.version AND p.provider = $2 "
            "    WHERE bv.tenant = $1 AND bv.branch = b.id ORDER BY bv.position DESC LIMIT 1) AS head"
            ") "
            "SELECT sel.consumer_version, sel.content, sel.reason, sel.environment, v.number, v.position, "
            "cs.name AS consumer, c.sha, c.kind "
            "FROM selected sel "
            "JOIN service_version v ON v.tenant = $1 AND v.id = sel.consumer_version "
            # one content by id each (LIMIT 1 keeps the planner from hashing every content of the tenant)
            "CROSS JOIN LATERAL (SELECT c.sha, c.kind, c.consumer FROM contract_content c "
            "  WHERE c.tenant = $1 AND c.id = sel.content LIMIT 1) AS c "
            "JOIN service cs ON cs.tenant = $1 AND cs.id = c.consumer "
            "ORDER BY cs.name, v.position DESC, sel.reason, sel.environment",
            provider_id,
            environment,
        )
        return rows_as(SelectedContractRow, rows)

    async def contents(self, content_ids: list[UUID]) -> dict[UUID, Any]:
        rows = await self.fetch(
            "SELECT id, content FROM contract_content WHERE tenant = $1 AND id = ANY($2::uuid[])", content_ids
        )
        return {row["id"]: row["content"] for row in rows}

    async def latest_results(self, content_ids: list[UUID], provider_version_id: UUID) -> dict[UUID, LatestResultRow]:
        """Newest result of the provider version for each content."""
        rows = await self.fetch(
            "SELECT DISTINCT ON (r.content) r.content AS content_id, " + _RESULT_COLUMNS + " "
            "FROM verification_result r " + _RESULT_JOINS + ""
            "WHERE r.tenant = $1 AND r.content = ANY($2::uuid[]) AND r.provider_version = $3 "
            "ORDER BY r.content, r.created_at DESC, r.id DESC",
            content_ids,
            provider_version_id,
        )
        return {row.content_id: row for row in rows_as(LatestResultRow, rows)}

    async def find_content(self, consumer: str, provider_id: UUID, sha: str) -> ContentRow | None:
        return await self.fetch_one(
            ContentRow,
            "SELECT c.id, c.consumer, c.content FROM contract_content c "
            "JOIN service cs ON cs.tenant = $1 AND cs.id = c.consumer "
            "WHERE c.tenant = $1 AND c.provider = $2 AND c.sha = $3 AND cs.name = $4",
            provider_id,
            sha,
            consumer,
        )

    async def record(self, values: dict[str, Any]) -> UUID:
        rows = await self.insert(values).returning(VerificationResult.id)
        return UUID(str(rows[0]["id"]))

    async def get(self, result_id: UUID) -> ResultRow | None:
        return await self.fetch_one(
            ResultRow,
            "SELECT " + _RESULT_COLUMNS + " FROM verification_result r " + _RESULT_JOINS + ""
            "WHERE r.tenant = $1 AND r.id = $2",
            result_id,
        )

    async def list_page(
        self, *, provider_id: UUID, limit: int, before: tuple[Any, UUID] | None, success: bool | None
    ) -> list[ResultRow]:
        return await self.fetch_as(
            ResultRow,
            "SELECT " + _RESULT_COLUMNS + " FROM verification_result r " + _RESULT_JOINS + ""
            "WHERE r.tenant = $1 AND r.provider = $2 AND ($3::bool IS NULL OR r.success = $3) "
            "AND ($4::timestamptz IS NULL OR (r.created_at, r.id) < ($4, $5::uuid)) "
            "ORDER BY r.created_at DESC, r.id DESC LIMIT $6",
            provider_id,
            success,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def selected_publications(
        self, provider_id: UUID, selectors: Sequence[tuple[int, str, str | None, str | None, str | None]]
    ) -> list[SelectedPublicationRow]:
        """Publications selected by (index, kind, consumer, value, fallback) selectors, newest first per
        consumer, each with the index of the selector that selected it (a publication may come more than
        once), the branch or tag it matched (`label`) and the environment. One statement."""
        return await self.fetch_as(
            SelectedPublicationRow,
            selection.SELECT_PUBLICATIONS,
            provider_id,
            [selector[0] for selector in selectors],
            [selector[1] for selector in selectors],
            [selector[2] for selector in selectors],
            [selector[3] for selector in selectors],
            [selector[4] for selector in selectors],
        )

    async def wip_candidates(self, provider_id: UUID, since: datetime.datetime) -> list[WipCandidateRow]:
        return await self.fetch_as(WipCandidateRow, selection.WIP_CANDIDATES, provider_id, since)

    async def verified(
        self, provider_id: UUID, content_ids: Sequence[UUID], branch: str | None, tags: Sequence[str]
    ) -> dict[UUID, VerifiedRow]:
        rows = await self.fetch_as(VerifiedRow, selection.VERIFIED, provider_id, list(content_ids), branch, list(tags))
        return {row.content_id: row for row in rows}

    async def latest_result_id(self, content_id: UUID) -> UUID | None:
        """The newest verification result of a content."""
        rows = await self.fetch(
            "SELECT id FROM verification_result WHERE tenant = $1 AND content = $2 "
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            content_id,
        )
        return rows[0]["id"] if rows else None
