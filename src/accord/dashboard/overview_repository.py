"""The integrations overview's statement: every pair with its verdict per main branch and per environment.
It is set-based: their cost grows with the tenant's pairs and their recent verdicts, never with
one round trip per pair."""

from __future__ import annotations

from typing import Any

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from tables.contracts import ContractPublication

# Each pair's newest contract (its consumer's newest version that published one with that provider).
_PAIRS = (
    "WITH latest AS ("
    "  SELECT DISTINCT ON (p.consumer, p.provider) p.consumer, p.provider, p.content, cv.number AS consumer_version "
    "  FROM contract_publication p JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
    "  WHERE p.tenant = $1 ORDER BY p.consumer, p.provider, cv.position DESC"
    ") "
)
_MATCHING_PAIRS = (
    _PAIRS + ", pairs AS ("
    "  SELECT l.consumer, l.provider, l.content, l.consumer_version, cs.name AS consumer_name, "
    "  ps.name AS provider_name, c.sha, " + main_branch_sql("ps") + " AS main_branch "
    "  FROM latest l JOIN service cs ON cs.tenant = $1 AND cs.id = l.consumer "
    "  JOIN service ps ON ps.tenant = $1 AND ps.id = l.provider "
    "  JOIN contract_content c ON c.tenant = $1 AND c.id = l.content "
    "  WHERE ($2::text IS NULL OR strpos(lower(cs.name), $2) > 0 OR strpos(lower(ps.name), $2) > 0)"
    ") "
)

# Scopes: '' is the provider's main branch, any other value the name of an environment. A scope's "head" is the
# provider version that speaks for it when nothing replayed the contract: the main branch's head, or the newest
# version deployed or released there.
_VERDICTS = (
    _MATCHING_PAIRS + ", providers AS (SELECT DISTINCT provider, main_branch FROM pairs), "
    "main_branch AS ("
    "  SELECT p.provider, b.id AS branch FROM providers p "
    "  JOIN branch b ON b.tenant = $1 AND b.service = p.provider AND b.name = p.main_branch"
    "), "
    "current AS ("
    "  SELECT d.service AS provider, e.name AS scope, d.version, v.position FROM deployment d "
    "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = d.version "
    "  WHERE d.tenant = $1 AND d.currently_deployed AND d.service IN (SELECT provider FROM providers) "
    "  UNION ALL "
    "  SELECT r.service, e.name, r.version, v.position FROM release r "
    "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = r.version "
    "  WHERE r.tenant = $1 AND r.currently_supported AND r.service IN (SELECT provider FROM providers)"
    "), "
    "heads AS ("
    "  SELECT mb.provider, ''::text AS scope, head.version FROM main_branch mb "
    "  JOIN LATERAL (SELECT bv.version FROM branch_version bv WHERE bv.tenant = $1 AND bv.branch = mb.branch "
    "    ORDER BY bv.position DESC LIMIT 1) head ON true "
    "  UNION ALL "
    "  SELECT * FROM (SELECT DISTINCT ON (provider, scope) provider, scope::text, version FROM current "
    "    ORDER BY provider, scope, position DESC) newest"
    "), "
    "replayed AS ("
    "  SELECT DISTINCT ON (pr.consumer, pr.provider, sc.scope) pr.consumer, pr.provider, sc.scope, vr.id, "
    "  vr.success, vr.created_at, vr.verified_by ->> 'implementation' AS verifier, vr.provider_version "
    "  FROM pairs pr "
    "  JOIN verification_result vr ON vr.tenant = $1 AND vr.content = pr.content AND vr.provider = pr.provider "
    "  JOIN LATERAL ("
    "    SELECT ''::text AS scope FROM main_branch mb JOIN branch_version bv ON bv.tenant = $1 "
    "    AND bv.branch = mb.branch AND bv.version = vr.provider_version WHERE mb.provider = pr.provider "
    "    UNION ALL "
    "    SELECT c.scope::text FROM current c WHERE c.provider = pr.provider AND c.version = vr.provider_version"
    "  ) sc ON true "
    "  ORDER BY pr.consumer, pr.provider, sc.scope, vr.created_at DESC"
    ") "
    "SELECT pr.consumer_name AS consumer, pr.provider_name AS provider, pr.consumer_version, pr.sha, h.scope, "
    "r.id AS verification_id, "
    "r.success, r.created_at AS verified_at, r.verifier, pv.number AS provider_version, "
    "st.id AS static_check_id, st.status AS static_status, st.checked_at "
    "FROM pairs pr LEFT JOIN heads h ON h.provider = pr.provider "
    "LEFT JOIN replayed r ON r.consumer = pr.consumer AND r.provider = pr.provider AND r.scope = h.scope "
    "LEFT JOIN LATERAL (SELECT sc.id, sc.status, sc.checked_at FROM spec s "
    "  JOIN static_check sc ON sc.tenant = $1 AND sc.content = pr.content AND sc.spec_sha = s.content_sha "
    "  WHERE s.tenant = $1 AND s.version = h.version AND sc.status IN ('passed', 'failed') LIMIT 1"
    ") st ON r.id IS NULL "
    "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = COALESCE(r.provider_version, h.version) "
    "ORDER BY pr.consumer_name, pr.provider_name"
)


class OverviewRepository(TenantRepository[ContractPublication]):
    table = ContractPublication

    async def verdicts(self, search: str | None) -> list[dict[str, Any]]:
        """Every consumer -> provider pair whose names contain `search` (lower case), with its newest contract: one
        row per scope the provider has (main branch, environments it runs in), or one with scope NULL when it has
        none; ordered by consumer and provider."""
        return await self.fetch(_VERDICTS, search)

    async def environment_names(self) -> list[str]:
        rows = await self.fetch("SELECT name FROM environment WHERE tenant = $1 ORDER BY name")
        return [row["name"] for row in rows]
