"""The newest contract of a consumer with a provider and the newest verdict on that pair (badges)."""

from __future__ import annotations

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import VerificationResult

_LATEST = (
    "WITH newest AS ("
    "  SELECT p.consumer, p.provider, p.content, c.sha, cv.number AS consumer_version "
    "  FROM service cs "
    "  JOIN service ps ON ps.tenant = $1 AND ps.name = $3 "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.provider = ps.id AND p.consumer = cs.id "
    "  JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
    "  JOIN contract_content c ON c.tenant = $1 AND c.id = p.content "
    "  WHERE cs.tenant = $1 AND cs.name = $2 "
    "  AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = cv.id "
    "    AND t.name = $4)) "
    "  AND (NOT $5::bool OR NOT EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = cv.id)) "
    "  ORDER BY cv.position DESC LIMIT 1"
    ") "
    "SELECT newest.sha, newest.consumer_version, verdict.success, verdict.sha AS verified_sha, "
    "verdict.provider_version "
    "FROM newest "
    "LEFT JOIN LATERAL ("
    "  SELECT vr.success, vc.sha, pv.number AS provider_version FROM verification_result vr "
    "  JOIN contract_content vc ON vc.tenant = $1 AND vc.id = vr.content "
    "  JOIN service_version pv ON pv.tenant = $1 AND pv.id = vr.provider_version "
    "  WHERE vr.tenant = $1 AND vr.consumer = newest.consumer AND vr.provider = newest.provider "
    # with a consumer tag: verdicts on contracts that versions with the tag published
    "  AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM contract_publication tp "
    "    JOIN tag t ON t.tenant = $1 AND t.version = tp.consumer_version AND t.name = $4 "
    "    WHERE tp.tenant = $1 AND tp.content = vr.content)) "
    "  AND ($6::text IS NULL OR EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 "
    "    AND t.version = vr.provider_version AND t.name = $6)) "
    "  ORDER BY vr.created_at DESC, vr.id DESC LIMIT 1"
    ") verdict ON true"
)


class ContractStatusRow(Row, frozen=True, kw_only=True):
    """The newest contract and the newest verdict on the pair (verdict fields None: none yet)."""

    sha: str
    consumer_version: str
    success: bool | None
    verified_sha: str | None
    provider_version: str | None


class ContractStatusRepository(TenantRepository[VerificationResult]):
    """Reads behind contract verification badges."""

    table = VerificationResult

    async def latest(
        self,
        consumer: str,
        provider: str,
        *,
        consumer_tag: str | None,
        untagged: bool,
        provider_tag: str | None,
    ) -> ContractStatusRow | None:
        """The newest contract (of versions with `consumer_tag`, or without tags) and the newest verdict on
        the pair (by provider versions with `provider_tag`); None without a contract."""
        return await self.fetch_one(
            ContractStatusRow, _LATEST, consumer, provider, consumer_tag, untagged, provider_tag
        )
