"""The matrix of a pair, dashboards and history (can-i-deploy's queries are in query_repository.py).

Every query here has a fixed shape whatever the tenant's history.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import VerificationResult


class PairMatrixRow(Row, frozen=True, kw_only=True):
    """A consumer version's contract with one of its verdicts (verdict fields None: no verdict yet)."""

    consumer_version: str
    position: int
    sha: str
    provider_version: str | None
    success: bool | None
    verified_at: datetime.datetime | None
    verification_id: UUID | None


class IntegrationVerdictRow(Row, frozen=True, kw_only=True):
    """A pair's newest contract and that contract's newest verdict (None: unverified)."""

    consumer: str
    provider: str
    consumer_version: str
    sha: str
    success: bool | None
    verified_at: datetime.datetime | None
    provider_version: str | None


class HistoryEventRow(Row, frozen=True, kw_only=True):
    at: datetime.datetime
    kind: Literal[
        "version-created", "deployed", "undeployed", "released", "support-ended", "contract-published", "verified"
    ]
    version: str
    detail: str
    id: UUID


class TenantCountsRow(Row, frozen=True, kw_only=True):
    services: int
    versions: int
    environments: int
    interactions: int
    contracts: int
    verifications: int
    failed_verifications: int
    current_deployments: int
    fixtures_approved: int


class MatrixRepository(TenantRepository[VerificationResult]):
    table = VerificationResult

    async def pair(
        self, consumer_id: UUID, provider_id: UUID, *, limit: int, after: tuple[int, Any, UUID | None] | None
    ) -> list[PairMatrixRow]:
        """Up to `limit` rows of the pair's matrix: consumer versions with a contract with the provider, newest
        first, each with its verdicts, newest first (or one row without a verdict). `after` is the last row
        shown, (position, verified_at, verification id), verdict fields None for a row without one.

        Rows, not consumer versions, are counted: a version with many verdicts continues on the next page, so a
        page is bounded whatever the history."""
        position, verified_at, verification_id = after if after else (None, None, None)
        return await self.fetch_as(
            PairMatrixRow,
            "WITH versions AS ("
            "  SELECT p.consumer_version, p.content, cv.number, cv.position FROM contract_publication p "
            "  JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
            "  WHERE p.tenant = $1 AND p.consumer = $2 AND p.provider = $3 "
            "  AND ($4::bigint IS NULL OR cv.position <= $4) ORDER BY cv.position DESC LIMIT $5"
            ") "
            "SELECT v.number AS consumer_version, v.position, c.sha, pv.number AS provider_version, "
            "vr.success, vr.created_at AS verified_at, vr.id AS verification_id "
            "FROM versions v "
            "JOIN contract_content c ON c.tenant = $1 AND c.id = v.content "
            "LEFT JOIN verification_result vr ON vr.tenant = $1 AND vr.content = v.content AND vr.provider = $3 "
            "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = vr.provider_version "
            "WHERE $4::bigint IS NULL OR v.position < $4 "
            "   OR ($6::timestamptz IS NOT NULL AND v.position = $4 AND (vr.created_at, vr.id) < ($6, $7::uuid)) "
            "ORDER BY v.position DESC, vr.created_at DESC NULLS LAST, vr.id DESC LIMIT $5",
            consumer_id,
            provider_id,
            position,
            limit,
            verified_at,
            verification_id,
        )

    async def integrations(self) -> list[IntegrationVerdictRow]:
        return await self.fetch_as(
            IntegrationVerdictRow,
            "SELECT cs.name AS consumer, ps.name AS provider, latest.number AS consumer_version, c.sha, "
            "verdict.success, verdict.created_at AS verified_at, pv.number AS provider_version "
            "FROM (SELECT DISTINCT ON (p.consumer, p.provider) p.consumer, p.provider, p.content, cv.number "
            "      FROM contract_publication p "
            "      JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
            "      WHERE p.tenant = $1 ORDER BY p.consumer, p.provider, cv.position DESC) AS latest "
            "JOIN service cs ON cs.tenant = $1 AND cs.id = latest.consumer "
            "JOIN service ps ON ps.tenant = $1 AND ps.id = latest.provider "
            "JOIN contract_content c ON c.tenant = $1 AND c.id = latest.content "
            "LEFT JOIN LATERAL (SELECT vr.success, vr.created_at, vr.provider_version FROM verification_result vr "
            "  WHERE vr.tenant = $1 AND vr.content = latest.content AND vr.provider = latest.provider "
            "  ORDER BY vr.created_at DESC LIMIT 1) verdict ON true "
            "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = verdict.provider_version "
            "ORDER BY cs.name, ps.name",
        )

    async def history(self, service_id: UUID, *, limit: int, before: tuple[Any, UUID] | None) -> list[HistoryEventRow]:
        return await self.fetch_as(
            HistoryEventRow,
            "SELECT * FROM ("
            "  SELECT v.created_at AS at, 'version-created' AS kind, v.number AS version, '' AS detail, v.id "
            "  FROM service_version v WHERE v.tenant = $1 AND v.service = $2 "
            "  UNION ALL "
            "  SELECT d.deployed_at, 'deployed', v.number, e.name || CASE WHEN d.application_instance <> '' "
            "    THEN ' (' || d.application_instance || ')' ELSE '' END, d.id "
            "  FROM deployment d JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
            "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "  WHERE d.tenant = $1 AND d.service = $2 "
            "  UNION ALL "
            "  SELECT d.undeployed_at, 'undeployed', v.number, e.name, d.id "
            "  FROM deployment d JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
            "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
            "  WHERE d.tenant = $1 AND d.service = $2 AND d.undeployed_at IS NOT NULL "
            "  UNION ALL "
            "  SELECT r.released_at, 'released', v.number, e.name, r.id "
            "  FROM release r JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
            "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
            "  WHERE r.tenant = $1 AND r.service = $2 "
            "  UNION ALL "
            "  SELECT r.support_ended_at, 'support-ended', v.number, e.name, r.id "
            "  FROM release r JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
            "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
            "  WHERE r.tenant = $1 AND r.service = $2 AND r.support_ended_at IS NOT NULL "
            "  UNION ALL "
            "  SELECT p.updated_at, 'contract-published', v.number, 'with ' || ps.name, p.id "
            "  FROM contract_publication p JOIN service_version v ON v.tenant = $1 AND v.id = p.consumer_version "
            "  JOIN service ps ON ps.tenant = $1 AND ps.id = p.provider "
            "  WHERE p.tenant = $1 AND p.consumer = $2 "
            "  UNION ALL "
            "  SELECT vr.created_at, 'verified', v.number, "
            "    CASE WHEN vr.success THEN 'passed' ELSE 'failed' END || ' for ' || cs.name, vr.id "
            "  FROM verification_result vr JOIN service_version v ON v.tenant = $1 AND v.id = vr.provider_version "
            "  JOIN service cs ON cs.tenant = $1 AND cs.id = vr.consumer "
            "  WHERE vr.tenant = $1 AND vr.provider = $2 "
            ") AS events "
            "WHERE ($3::timestamptz IS NULL OR (at, id) < ($3, $4::uuid)) "
            "ORDER BY at DESC, id DESC LIMIT $5",
            service_id,
            before[0] if before else None,
            before[1] if before else None,
            limit,
        )

    async def counts(self) -> TenantCountsRow:
        (row,) = await self.fetch_as(
            TenantCountsRow,
            "SELECT "
            "(SELECT count(*) FROM service WHERE tenant = $1) AS services, "
            "(SELECT count(*) FROM service_version WHERE tenant = $1) AS versions, "
            "(SELECT count(*) FROM environment WHERE tenant = $1) AS environments, "
            "(SELECT count(*) FROM interaction WHERE tenant = $1) AS interactions, "
            "(SELECT count(*) FROM contract_publication WHERE tenant = $1) AS contracts, "
            "(SELECT count(*) FROM verification_result WHERE tenant = $1) AS verifications, "
            "(SELECT count(*) FROM verification_result WHERE tenant = $1 AND NOT success) AS failed_verifications, "
            "(SELECT count(*) FROM deployment WHERE tenant = $1 AND currently_deployed) AS current_deployments, "
            "(SELECT count(*) FROM fixture WHERE tenant = $1 AND status = 'approved') AS fixtures_approved",
        )
        return row
