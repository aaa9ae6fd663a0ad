"""The SQL behind matrix queries: resolving selectors to versions, finding integrations, and the rows.

A query costs the same few statements whatever its selectors and the tenant's history: every list travels as
arrays (unnest), and each lookup walks an index (versions by service and number, publications by consumer
version or provider, verdicts by content and provider version, branch heads by position).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from accord.matrix.query import Selector
from tables.contracts import VerificationResult

# Each selector's versions come from the narrowest source it names, through its index: the version by number,
# the current deployments and releases in the environment, the branch (its head first), the tag, or the
# service's versions (newest first). Only one source runs per selector (the others are gated off by constant
# conditions); the selector's other criteria then filter what it yields, and `latest` keeps the first.
_GATE_VERSION = "sel.version IS NOT NULL"
_GATE_ENVIRONMENT = "sel.version IS NULL AND sel.environment IS NOT NULL"
_GATE_BRANCH = "sel.version IS NULL AND sel.environment IS NULL AND (sel.branch IS NOT NULL OR sel.main_branch)"
_GATE_TAG = "sel.version IS NULL AND sel.environment IS NULL AND sel.branch IS NULL AND NOT sel.main_branch "
_GATE_ANY = _GATE_TAG + "AND sel.tag IS NULL "
_VERSION = "JOIN service_version v ON v.tenant = $1 AND v.id = {0} AND v.service = s.id "
_ON_BRANCH = (
    "FROM branch b JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = b.id "
    + _VERSION.format("bv.version")
    + "WHERE b.tenant = $1 AND b.service = s.id AND b.name = COALESCE(sel.branch, s.main) AND "
    + _GATE_BRANCH
)
_RESOLVE = (
    "WITH sel AS (SELECT * FROM unnest($2::int[], $3::text[], $4::text[], $5::bool[], $6::text[], $7::text[], "
    "  $8::bool[], $9::text[], $10::bool[]) "
    "  AS sel(idx, name, version, latest, tag, branch, main_branch, environment, any_version)) "
    "SELECT sel.idx, s.id AS service_id, s.name AS service_name, s.main AS main_branch, "
    "c.id AS version_id, c.number, c.position, "
    # whether the query's destination environment ($11) exists: asked here rather than in a statement of its own
    "EXISTS (SELECT 1 FROM environment de WHERE de.tenant = $1 AND de.name = $11) AS destination_known "
    "FROM sel "
    "LEFT JOIN LATERAL (SELECT s.id, s.name, " + main_branch_sql("s") + " AS main "
    "  FROM service s WHERE s.tenant = $1 AND s.name = sel.name) s ON true "
    "LEFT JOIN environment e ON e.tenant = $1 AND e.name = sel.environment "
    "LEFT JOIN LATERAL (SELECT c.id, c.number, c.position FROM ("
    "  SELECT v.id, v.number, v.position, v.position AS ord FROM service_version v "
    "  WHERE v.tenant = $1 AND v.service = s.id AND v.number = sel.version AND " + _GATE_VERSION + " "
    "  UNION ALL "
    "  SELECT v.id, v.number, v.position, NULL::bigint FROM ("
    "    SELECT d.version FROM deployment d WHERE d.tenant = $1 AND d.environment = e.id AND d.service = s.id "
    "    AND d.currently_deployed "
    "    UNION SELECT r.version FROM release r WHERE r.tenant = $1 AND r.environment = e.id "
    "    AND r.service = s.id AND r.currently_supported) AS current "
    + _VERSION.format("current.version")
    + "  WHERE "
    + _GATE_ENVIRONMENT
    + " "
    "  UNION ALL "
    # the head alone: one step down the branch head index
    "  SELECT v.id, v.number, v.position, head.position FROM branch b "
    "  CROSS JOIN LATERAL (SELECT bv.version, bv.position FROM branch_version bv "
    "    WHERE bv.tenant = $1 AND bv.branch = b.id ORDER BY bv.position DESC LIMIT 1) head "
    + _VERSION.format("head.version")
    + "  WHERE b.tenant = $1 AND b.service = s.id AND b.name = COALESCE(sel.branch, s.main) AND "
    + _GATE_BRANCH
    + " AND sel.latest AND sel.tag IS NULL "
    "  UNION ALL "
    "  SELECT v.id, v.number, v.position, bv.position " + _ON_BRANCH + " AND NOT (sel.latest AND sel.tag IS NULL) "
    "  UNION ALL "
    # the newest tagged version: down the service's versions, newest first, to the first with the tag
    "  (SELECT v.id, v.number, v.position, v.position FROM service_version v "
    "  WHERE v.tenant = $1 AND v.service = s.id AND " + _GATE_TAG + "AND sel.tag IS NOT NULL AND sel.latest "
    "  AND EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = v.id AND t.name = sel.tag) "
    "  ORDER BY v.position DESC LIMIT 1) "
    "  UNION ALL "
    "  SELECT v.id, v.number, v.position, v.position FROM tag t "
    + _VERSION.format("t.version")
    + "  WHERE t.tenant = $1 AND t.name = sel.tag AND "
    + _GATE_TAG
    + "AND sel.tag IS NOT NULL AND NOT sel.latest "
    "  UNION ALL "
    "  (SELECT v.id, v.number, v.position, v.position FROM service_version v "
    "  WHERE v.tenant = $1 AND v.service = s.id AND " + _GATE_ANY + "AND sel.latest "
    "  ORDER BY v.position DESC LIMIT 1) "
    "  UNION ALL "
    "  SELECT v.id, v.number, v.position, v.position FROM service_version v "
    "  WHERE v.tenant = $1 AND v.service = s.id AND " + _GATE_ANY + "AND NOT sel.latest"
    ") AS c "
    # criteria the source didn't apply itself (so the checks below short-circuit for the source's own)
    "  WHERE (sel.tag IS NULL OR (" + _GATE_TAG + ") "
    "    OR EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = c.id AND t.name = sel.tag)) "
    "  AND ((sel.branch IS NULL AND NOT sel.main_branch) OR (sel.version IS NULL AND sel.environment IS NULL) "
    "    OR EXISTS (SELECT 1 FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
    "    WHERE bv.tenant = $1 AND bv.version = c.id AND b.name = COALESCE(sel.branch, s.main))) "
    "  AND (sel.environment IS NULL OR sel.version IS NULL "
    "    OR EXISTS (SELECT 1 FROM deployment d WHERE d.tenant = $1 AND d.version = c.id "
    "      AND d.environment = e.id AND d.currently_deployed) "
    "    OR EXISTS (SELECT 1 FROM release r WHERE r.tenant = $1 AND r.version = c.id "
    "      AND r.environment = e.id AND r.currently_supported)) "
    "  ORDER BY c.ord DESC NULLS LAST, c.position DESC "
    "  LIMIT CASE WHEN sel.latest THEN 1 END"
    ") c ON NOT sel.any_version "
    "ORDER BY sel.idx, c.position DESC"
)

# A pair of services is integrated when the consumer has a contract with the provider that some consumer
# version publishes. Probed per pair of services (LIMIT 1 keeps the planner from joining every contract).
_PUBLISHED_PAIR = (
    "CROSS JOIN LATERAL (SELECT 1 FROM contract_content c "
    "JOIN contract_publication p ON p.tenant = $1 AND p.content = c.id "
    "WHERE c.tenant = $1 AND c.consumer = cs.id AND c.provider = ps.id LIMIT 1) AS published "
)

_INTEGRATIONS = (
    "SELECT DISTINCT p.consumer AS consumer_id, cs.name AS consumer, p.provider AS provider_id, "
    "ps.name AS provider, true AS required "
    "FROM contract_publication p "
    "JOIN service cs ON cs.tenant = $1 AND cs.id = p.consumer "
    "JOIN service ps ON ps.tenant = $1 AND ps.id = p.provider "
    "WHERE p.tenant = $1 AND p.consumer_version = ANY($2::uuid[]) "
    "UNION "
    "SELECT cs.id, cs.name, ps.id, ps.name, true FROM service cs JOIN service ps ON ps.tenant = $1 "
    + _PUBLISHED_PAIR
    + "WHERE cs.tenant = $1 AND cs.id = ANY($3::uuid[]) "
    "UNION "
    "SELECT cs.id, cs.name, ps.id, ps.name, false FROM service ps JOIN service cs ON cs.tenant = $1 "
    + _PUBLISHED_PAIR
    + "WHERE ps.tenant = $1 AND ps.id = ANY($4::uuid[])"
)

# Newest verdict first; `$10` (every) keeps them all instead of the newest per provider version.
_ROWS = (
    "WITH sel AS (SELECT * FROM unnest($2::int[], $3::uuid[], $4::bool[]) AS sel(idx, service, any_version)), "
    "sv AS (SELECT * FROM unnest($5::int[], $6::uuid[]) AS sv(idx, version)), "
    "pairs AS (SELECT * FROM unnest($7::int[], $8::int[], $9::bool[]) AS pairs(c_idx, p_idx, verified_only)), "
    "pubs AS ("
    # the selected versions of a consumer, with the provider side's service
    "  SELECT pairs.c_idx, pairs.p_idx, false AS verified_only, p.id, p.consumer, p.consumer_version, "
    "  p.provider, p.content, p.updated_at "
    "  FROM pairs JOIN sv ON sv.idx = pairs.c_idx JOIN sel ps ON ps.idx = pairs.p_idx "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.consumer_version = sv.version "
    "  WHERE NOT pairs.verified_only AND (ps.service IS NULL OR p.provider = ps.service) "
    "  UNION ALL "
    # every version of a consumer
    "  SELECT pairs.c_idx, pairs.p_idx, false, p.id, p.consumer, p.consumer_version, p.provider, p.content, "
    "  p.updated_at "
    "  FROM pairs JOIN sel cs ON cs.idx = pairs.c_idx AND cs.any_version AND cs.service IS NOT NULL "
    "  JOIN sel ps ON ps.idx = pairs.p_idx "
    "  JOIN service_version v ON v.tenant = $1 AND v.service = cs.service "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.consumer_version = v.id "
    "  WHERE NOT pairs.verified_only AND (ps.service IS NULL OR p.provider = ps.service) "
    "  UNION ALL "
    # any consumer of a provider of which any version counts (the provider side of a lone selector)
    "  SELECT pairs.c_idx, pairs.p_idx, true, p.id, p.consumer, p.consumer_version, p.provider, p.content, "
    "  p.updated_at "
    "  FROM pairs JOIN sel ps ON ps.idx = pairs.p_idx AND ps.any_version "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.provider = ps.service "
    "  WHERE pairs.verified_only"
    "), "
    "recent AS (SELECT * FROM pubs ORDER BY updated_at DESC, id DESC LIMIT $11), "
    "candidates AS ("
    # selected provider versions: each one with its newest verdict (a row without one when it has none)
    "  SELECT r.c_idx, r.p_idx, r.id, r.consumer, r.consumer_version, r.provider, r.content, r.updated_at, "
    "  sv.version AS provider_version, vd.id AS verification_id, vd.success, vd.created_at AS verified_at "
    "  FROM recent r JOIN sel ps ON ps.idx = r.p_idx AND NOT ps.any_version "
    "  LEFT JOIN sv ON sv.idx = r.p_idx "
    "  LEFT JOIN LATERAL (SELECT vr.id, vr.success, vr.created_at FROM verification_result vr "
    "    WHERE vr.tenant = $1 AND vr.content = r.content AND vr.provider_version = sv.version "
    "    ORDER BY vr.created_at DESC, vr.id DESC LIMIT CASE WHEN $10::bool THEN NULL ELSE 1 END) vd ON true "
    "  UNION ALL "
    # any provider version: the newest verdict of each provider version that verified the content
    "  SELECT r.c_idx, r.p_idx, r.id, r.consumer, r.consumer_version, r.provider, r.content, r.updated_at, "
    "  vd.provider_version, vd.id, vd.success, vd.created_at "
    "  FROM recent r JOIN sel ps ON ps.idx = r.p_idx AND ps.any_version "
    "  LEFT JOIN LATERAL (SELECT DISTINCT ON (vr.provider_version, CASE WHEN $10::bool THEN vr.id END) "
    "    vr.provider_version, vr.id, vr.success, vr.created_at FROM verification_result vr "
    "    WHERE vr.tenant = $1 AND vr.content = r.content "
    "    ORDER BY vr.provider_version, CASE WHEN $10::bool THEN vr.id END, vr.created_at DESC, vr.id DESC"
    "  ) vd ON true "
    "  WHERE NOT r.verified_only OR vd.id IS NOT NULL "
    "  UNION ALL "
    # what selected provider versions verified, of any consumer (the provider side of a lone selector)
    "  SELECT pairs.c_idx, pairs.p_idx, p.id, p.consumer, p.consumer_version, p.provider, p.content, "
    "  p.updated_at, vd.provider_version, vd.id, vd.success, vd.created_at "
    "  FROM pairs JOIN sv ON sv.idx = pairs.p_idx "
    "  JOIN LATERAL (SELECT DISTINCT ON (vr.content, CASE WHEN $10::bool THEN vr.id END) "
    "    vr.content, vr.provider_version, vr.id, vr.success, vr.created_at FROM verification_result vr "
    "    WHERE vr.tenant = $1 AND vr.provider_version = sv.version "
    "    ORDER BY vr.content, CASE WHEN $10::bool THEN vr.id END, vr.created_at DESC, vr.id DESC"
    "  ) vd ON true "
    "  JOIN contract_publication p ON p.tenant = $1 AND p.content = vd.content "
    "  WHERE pairs.verified_only"
    ") "
    "SELECT c.c_idx, c.p_idx, c.id AS publication_id, c.consumer AS consumer_id, cs.name AS consumer, "
    "c.consumer_version AS consumer_version_id, cv.number AS consumer_version, cv.position AS consumer_position, "
    "c.provider AS provider_id, ps.name AS provider, c.provider_version AS provider_version_id, "
    "pv.number AS provider_version, pv.position AS provider_position, cc.sha, c.updated_at AS published_at, "
    "c.verification_id, c.success, c.verified_at, "
    "ARRAY(SELECT b.name FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
    "  WHERE bv.tenant = $1 AND bv.version = cv.id ORDER BY bv.position) AS consumer_branches, "
    "ARRAY(SELECT t.name FROM tag t WHERE t.tenant = $1 AND t.version = cv.id ORDER BY t.created_at, t.name) "
    "  AS consumer_tags, "
    "ARRAY(SELECT b.name FROM branch_version bv JOIN branch b ON b.tenant = $1 AND b.id = bv.branch "
    "  WHERE bv.tenant = $1 AND bv.version = pv.id ORDER BY bv.position) AS provider_branches, "
    "ARRAY(SELECT t.name FROM tag t WHERE t.tenant = $1 AND t.version = pv.id ORDER BY t.created_at, t.name) "
    "  AS provider_tags, "
    "st.id AS static_check_id, st.status AS static_status, st.messages AS static_messages, "
    "st.checked_at AS static_checked_at, st.verification_success AS static_spec_verified "
    "FROM candidates c "
    "JOIN service cs ON cs.tenant = $1 AND cs.id = c.consumer "
    "JOIN service ps ON ps.tenant = $1 AND ps.id = c.provider "
    "JOIN service_version cv ON cv.tenant = $1 AND cv.id = c.consumer_version "
    "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = c.provider_version "
    "JOIN contract_content cc ON cc.tenant = $1 AND cc.id = c.content "
    # The static check of this content against the provider version's spec, when one has finished; the first
    # few mismatch sentences explain a failure. The spec's self-verification decides whether a pass counts.
    "LEFT JOIN LATERAL (SELECT sc.id, sc.status, sc.checked_at, sp.verification_success, ARRAY(SELECT m->>'message' "
    "    FROM jsonb_array_elements(COALESCE(sc.results, '[]'::jsonb)) r, "
    "    jsonb_array_elements(COALESCE(r->'mismatches', '[]'::jsonb)) m LIMIT 3) AS messages "
    "  FROM spec sp JOIN static_check sc ON sc.tenant = $1 AND sc.content = c.content "
    "    AND sc.spec_sha = sp.content_sha AND sc.status IN ('passed', 'failed') "
    "  WHERE sp.tenant = $1 AND sp.version = c.provider_version LIMIT 1) st ON true "
    "ORDER BY GREATEST(cv.created_at, pv.created_at) DESC, cv.position DESC, pv.position DESC NULLS FIRST, "
    "c.verified_at DESC NULLS LAST "
    "LIMIT $11"
)


class ResolvedRow(Row, frozen=True, kw_only=True):
    """A selector (`idx`) with its service (None: unknown) and one matching version (None: none, or every one)."""

    idx: int
    service_id: UUID | None
    service_name: str | None
    main_branch: str | None
    version_id: UUID | None
    number: str | None
    position: int | None
    destination_known: bool  # the same on every row of a statement


class IntegrationRow(Row, frozen=True, kw_only=True):
    """A consumer-provider pair a query depends on (_INTEGRATIONS)."""

    consumer_id: UUID
    consumer: str
    provider_id: UUID
    provider: str
    required: bool


class CandidateRecordRow(Row, frozen=True, kw_only=True):
    """A row between two selectors (_ROWS): a publication, maybe a provider version and its verdict, and the
    static check of the contract against that version's spec (None fields: absent)."""

    c_idx: int
    p_idx: int
    publication_id: UUID
    consumer_id: UUID
    consumer: str
    consumer_version_id: UUID
    consumer_version: str
    consumer_position: int
    provider_id: UUID
    provider: str
    provider_version_id: UUID | None
    provider_version: str | None
    provider_position: int | None
    sha: str
    published_at: datetime.datetime
    verification_id: UUID | None
    success: bool | None
    verified_at: datetime.datetime | None
    consumer_branches: list[str]
    consumer_tags: list[str]
    provider_branches: list[str]
    provider_tags: list[str]
    static_check_id: UUID | None
    static_status: str | None
    static_messages: list[str] | None
    static_checked_at: datetime.datetime | None
    static_spec_verified: bool | None


class MatrixQueryRepository(TenantRepository[VerificationResult]):
    """Reads for matrix queries (can-i-deploy, can-i-merge, the Pact matrix)."""

    table = VerificationResult

    async def resolve(
        self, selectors: Sequence[tuple[int, Selector]], *, destination: str | None = None
    ) -> list[ResolvedRow]:
        """One row per (selector, matching version); a selector matching nothing (or of every version) yields
        one row without a version, and a selector of an unknown service one without a service id. Every row says
        whether the `destination` environment exists."""
        return await self.fetch_as(
            ResolvedRow,
            _RESOLVE,
            [index for index, _ in selectors],
            [s.service for _, s in selectors],
            [s.version for _, s in selectors],
            [s.latest for _, s in selectors],
            [s.tag for _, s in selectors],
            [s.branch for _, s in selectors],
            [s.main_branch for _, s in selectors],
            [s.environment for _, s in selectors],
            [s.any_version for _, s in selectors],
            destination,
        )

    async def environment_exists(self, name: str) -> bool:
        rows = await self.fetch("SELECT 1 FROM environment WHERE tenant = $1 AND name = $2", name)
        return bool(rows)

    async def integrations(
        self, *, consumer_versions: list[UUID], consumers: list[UUID], providers: list[UUID]
    ) -> list[IntegrationRow]:
        """Pairs where a selected consumer version (or any version of `consumers`) has a contract (required),
        and pairs where one of `providers` is the provider (not required: its consumers may be elsewhere)."""
        return await self.fetch_as(IntegrationRow, _INTEGRATIONS, consumer_versions, consumers, providers)

    async def rows(
        self,
        *,
        selectors: list[tuple[int, UUID | None, bool]],
        versions: list[tuple[int, UUID]],
        pairs: list[tuple[int, int, bool]],
        every_verdict: bool,
        limit: int,
    ) -> list[CandidateRecordRow]:
        """Matrix rows of the (consumer selector, provider selector, verified only) pairs, newest first.

        `selectors` are (index, service id or None for any service, every version?), `versions` the versions
        of the others."""
        return await self.fetch_as(
            CandidateRecordRow,
            _ROWS,
            [s[0] for s in selectors],
            [s[1] for s in selectors],
            [s[2] for s in selectors],
            [v[0] for v in versions],
            [v[1] for v in versions],
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            [p[2] for p in pairs],
            every_verdict,
            limit,
        )
