"""The integrations overview's two statements: the pairs with their newest contract, then their verdicts per main
branch and per environment. Both are set-based: their cost grows with the tenant's pairs and the verdicts on
those pairs' newest contracts, never with one round trip per pair, nor with the whole verification history."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

import msgspec

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import ContractPublication

# Pairs come from the contents (a tenant has far fewer contents than publications); each pair's newest contract
# is found by walking its consumer's versions newest first (service_version_latest) to the first one that
# published with that provider (contract_publication_unique): usually the very first.
_PAIRS = (
    "SELECT cs.name AS consumer, ps.name AS provider, pair.consumer AS consumer_id, pair.provider AS provider_id, "
    "latest.content, latest.number AS consumer_version, c.sha, " + main_branch_sql("ps") + " AS main_branch "
    "FROM (SELECT DISTINCT consumer, provider FROM contract_content WHERE tenant = $1) pair "
    "JOIN service cs ON cs.tenant = $1 AND cs.id = pair.consumer "
    "JOIN service ps ON ps.tenant = $1 AND ps.id = pair.provider "
    "JOIN LATERAL (SELECT p.content, cv.number FROM service_version cv "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.consumer_version = cv.id AND p.provider = pair.provider "
    "  WHERE cv.tenant = $1 AND cv.service = pair.consumer ORDER BY cv.position DESC LIMIT 1) latest ON true "
    "JOIN contract_content c ON c.tenant = $1 AND c.id = latest.content "
    "WHERE ($2::text IS NULL OR strpos(lower(cs.name), $2) > 0 OR strpos(lower(ps.name), $2) > 0) "
    "ORDER BY cs.name, ps.name"
)

# Scopes: '' is the provider's main branch, any other value the name of an environment. A scope's "head" is the
# provider version that speaks for it when nothing replayed the contract: the main branch's head, or the newest
# version deployed or released there.
_VERDICTS = (
    "WITH pairs AS ("
    "  SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) AS t(consumer, provider, content, main)"
    "), "
    "main_branch AS ("
    "  SELECT b.service AS provider, b.id AS branch FROM (SELECT DISTINCT provider, main FROM pairs) p "
    "  JOIN branch b ON b.tenant = $1 AND b.service = p.provider AND b.name = p.main"
    "), "
    "current AS ("
    "  SELECT d.service AS provider, e.name::text AS scope, d.version, v.position FROM deployment d "
    "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
    "  WHERE d.tenant = $1 AND d.currently_deployed AND d.service = ANY($3::uuid[]) "
    "  UNION ALL "
    "  SELECT r.service, e.name::text, r.version, v.position FROM release r "
    "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
    "  WHERE r.tenant = $1 AND r.currently_supported AND r.service = ANY($3::uuid[])"
    "), "
    "heads AS ("
    "  SELECT mb.provider, ''::text AS scope, head.version FROM main_branch mb "
    "  JOIN LATERAL (SELECT bv.version FROM branch_version bv WHERE bv.tenant = $1 AND bv.branch = mb.branch "
    "    ORDER BY bv.position DESC LIMIT 1) head ON true "
    "  UNION ALL "
    "  SELECT * FROM (SELECT DISTINCT ON (provider, scope) provider, scope, version FROM current "
    "    ORDER BY provider, scope, position DESC) newest"
    "), "
    # OFFSET 0 keeps the lateral from being flattened into a hash join over the tenant's whole verification
    # history: one index range (verification_by_content) per pair is far cheaper.
    "verdicts AS ("
    "  SELECT pr.consumer, pr.provider, vr.* FROM pairs pr CROSS JOIN LATERAL ("
    "    SELECT v.id, v.success, v.created_at, v.provider_version, v.verified_by ->> 'implementation' AS verifier "
    "    FROM verification_result v WHERE v.tenant = $1 AND v.content = pr.content AND v.provider = pr.provider "
    "    OFFSET 0) vr"
    "), "
    "replayed AS ("
    "  SELECT DISTINCT ON (consumer, provider, scope) * FROM ("
    "    SELECT v.*, ''::text AS scope FROM verdicts v JOIN main_branch mb ON mb.provider = v.provider "
    "    JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = mb.branch AND bv.version = v.provider_version "
    "    UNION ALL "
    "    SELECT v.*, c.scope FROM verdicts v "
    "    JOIN current c ON c.provider = v.provider AND c.version = v.provider_version"
    "  ) candidates ORDER BY consumer, provider, scope, created_at DESC"
    ") "
    "SELECT pr.consumer, pr.provider, h.scope, r.id AS verification_id, r.success, r.created_at AS verified_at, "
    "r.verifier, pv.number AS provider_version, st.id AS static_check_id, st.status AS static_status, st.checked_at "
    "FROM pairs pr JOIN heads h ON h.provider = pr.provider "
    "LEFT JOIN replayed r ON r.consumer = pr.consumer AND r.provider = pr.provider AND r.scope = h.scope "
    "LEFT JOIN LATERAL (SELECT sc.id, sc.status, sc.checked_at FROM spec s "
    "  JOIN static_check sc ON sc.tenant = $1 AND sc.content = pr.content AND sc.spec_sha = s.content_sha "
    "  WHERE s.tenant = $1 AND s.version = h.version AND sc.status IN ('passed', 'failed') LIMIT 1"
    ") st ON r.id IS NULL "
    "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = COALESCE(r.provider_version, h.version)"
)


class _Name(msgspec.Struct, frozen=True):
    name: str


class PairRow(Row, frozen=True, kw_only=True):
    """A consumer -> provider pair with its newest contract."""

    consumer: str
    provider: str
    consumer_id: UUID
    provider_id: UUID
    content: UUID
    consumer_version: str
    sha: str
    main_branch: str | None  # the provider's main branch name; None: it has none yet


class VerdictRow(Row, frozen=True, kw_only=True):
    """A pair's verdict in one scope: '' (the provider's main branch) or an environment's name."""

    consumer: UUID
    provider: UUID
    scope: str
    verification_id: UUID | None
    success: bool | None
    verified_at: datetime.datetime | None
    verifier: str | None
    provider_version: str | None
    static_check_id: UUID | None
    static_status: str | None
    checked_at: datetime.datetime | None


class OverviewRepository(TenantRepository[ContractPublication]):
    table = ContractPublication

    async def pairs(self, search: str | None) -> list[PairRow]:
        """Every consumer -> provider pair whose names contain `search` (lower case), with its newest contract, by
        consumer then provider."""
        return await self.fetch_as(PairRow, _PAIRS, search)

    async def verdicts(self, pairs: Sequence[PairRow]) -> list[VerdictRow]:
        """For rows of `pairs`: one row per pair and scope its provider has (main branch, environments it runs in),
        keyed by consumer_id and provider_id."""
        if not pairs:
            return []
        return await self.fetch_as(
            VerdictRow,
            _VERDICTS,
            [pair.consumer_id for pair in pairs],
            [pair.provider_id for pair in pairs],
            [pair.content for pair in pairs],
            [pair.main_branch for pair in pairs],
        )

    async def environment_names(self) -> list[str]:
        rows = await self.fetch_as(_Name, "SELECT name FROM environment WHERE tenant = $1 ORDER BY name")
        return [row.name for row in rows]
