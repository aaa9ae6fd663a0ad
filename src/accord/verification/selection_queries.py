"""Statements behind the selection of contracts to verify: which publications consumer version selectors select,
which are work in progress, and whether a provider branch (or tag) has verified a content yet; and the row
types they fill (VerificationRepository runs them).

Each is one statement of a fixed shape whatever the number of selectors: selectors travel as arrays and
every kind of selector is one branch of a UNION that only its rows reach.
"""

from __future__ import annotations

from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.rows import Row


class SelectedPublicationRow(Row, frozen=True, kw_only=True):
    """A publication a selector (by its index) selected; `label` is the branch or tag it matched."""

    idx: int
    label: str | None
    environment: str | None
    consumer: str
    consumer_version: str
    position: int
    content_id: UUID
    sha: str
    kind: str


class WipCandidateRow(Row, frozen=True, kw_only=True):
    """The newest publication of a consumer branch or tag (`via` 'branch' or 'tag', `label` its name)."""

    label: str
    via: str
    consumer: str
    consumer_version: str
    position: int
    content_id: UUID
    sha: str
    kind: str


class VerifiedRow(Row, frozen=True, kw_only=True):
    """Whether the provider verified a content successfully: from the branch, from another branch before the
    branch was created, at all, and from versions with which of the tags."""

    content_id: UUID
    by_branch: bool
    before_branch: bool
    at_all: bool
    tags: list[str]


# The provider's ($2) publications with their consumer versions.
_PUBLICATIONS = (
    "pubs AS (SELECT pub.consumer AS consumer_id, pub.consumer_version, pub.content, pub.updated_at, "
    "  cs.name AS consumer, v.number, v.position "
    "  FROM contract_publication pub "
    "  JOIN service cs ON cs.tenant = $1 AND cs.id = pub.consumer "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = pub.consumer_version "
    "  WHERE pub.tenant = $1 AND pub.provider = $2)"
)

# Selector s (idx, kind, consumer, value, fallback) applied to publication p.
_SELECTED = (
    "sel AS (SELECT * FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) "
    "  AS s(idx, kind, consumer, value, fallback)), " + _PUBLICATIONS + ", matches AS ("
    # Newest version of each consumer's main branch.
    "  (SELECT DISTINCT ON (s.idx, p.consumer_id) s.idx, p.consumer_version, b.name AS label, "
    "    NULL::text AS environment "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN service cs ON cs.tenant = $1 AND cs.id = p.consumer_id "
    f"  JOIN branch b ON b.tenant = $1 AND b.service = p.consumer_id AND b.name = {main_branch_sql('cs')} "
    "  JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = b.id AND bv.version = p.consumer_version "
    "  WHERE s.kind = 'main' ORDER BY s.idx, p.consumer_id, bv.position DESC) "
    "  UNION ALL "
    # Newest version of a branch, else of the fallback branch.
    "  (SELECT DISTINCT ON (s.idx, p.consumer_id) s.idx, p.consumer_version, b.name, NULL "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN branch b ON b.tenant = $1 AND b.service = p.consumer_id AND b.name IN (s.value, s.fallback) "
    "  JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = b.id AND bv.version = p.consumer_version "
    "  WHERE s.kind = 'branch' ORDER BY s.idx, p.consumer_id, b.name = s.value DESC, bv.position DESC) "
    "  UNION ALL "
    # Newest version with a tag, else with the fallback tag.
    "  (SELECT DISTINCT ON (s.idx, p.consumer_id) s.idx, p.consumer_version, t.name, NULL "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN tag t ON t.tenant = $1 AND t.version = p.consumer_version AND t.name IN (s.value, s.fallback) "
    "  WHERE s.kind = 'tag-latest' ORDER BY s.idx, p.consumer_id, t.name = s.value DESC, p.position DESC) "
    "  UNION ALL "
    # Every version with a tag.
    "  (SELECT s.idx, p.consumer_version, t.name, NULL "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN tag t ON t.tenant = $1 AND t.version = p.consumer_version AND t.name = s.value "
    "  WHERE s.kind = 'tag-all') "
    "  UNION ALL "
    # Newest version of each consumer.
    "  (SELECT DISTINCT ON (s.idx, p.consumer_id) s.idx, p.consumer_version, NULL, NULL "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  WHERE s.kind = 'latest' ORDER BY s.idx, p.consumer_id, p.position DESC) "
    "  UNION ALL "
    # Versions currently deployed (to the environment, if named).
    "  (SELECT DISTINCT s.idx, p.consumer_version, NULL, e.name "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN deployment d ON d.tenant = $1 AND d.version = p.consumer_version AND d.currently_deployed "
    "  JOIN environment e ON e.tenant = $1 AND e.id = d.environment AND (s.value IS NULL OR e.name = s.value) "
    "  WHERE s.kind = 'deployed') "
    "  UNION ALL "
    # Versions released and still supported (in the environment, if named).
    "  (SELECT DISTINCT s.idx, p.consumer_version, NULL, e.name "
    "  FROM sel s JOIN pubs p ON s.consumer IS NULL OR p.consumer = s.consumer "
    "  JOIN release r ON r.tenant = $1 AND r.version = p.consumer_version AND r.currently_supported "
    "  JOIN environment e ON e.tenant = $1 AND e.id = r.environment AND (s.value IS NULL OR e.name = s.value) "
    "  WHERE s.kind = 'released')"
    ")"
)

SELECT_PUBLICATIONS = (
    "WITH "
    + _SELECTED
    + " SELECT m.idx, m.label, m.environment, p.consumer, p.number AS consumer_version, p.position, "
    "c.id AS content_id, c.sha, c.kind "
    "FROM matches m JOIN pubs p ON p.consumer_version = m.consumer_version "
    "JOIN contract_content c ON c.tenant = $1 AND c.id = p.content "
    "ORDER BY p.consumer, p.position DESC, m.idx, m.environment"
)

# Heads of every consumer branch and tag (their newest version with a pact with the provider), published
# since $3: the candidates for work in progress.
WIP_CANDIDATES = (
    "WITH " + _PUBLICATIONS + ", heads AS ("
    "  (SELECT DISTINCT ON (b.id) p.consumer_version, b.name AS label, 'branch' AS via "
    "  FROM pubs p JOIN branch_version bv ON bv.tenant = $1 AND bv.version = p.consumer_version "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch ORDER BY b.id, bv.position DESC) "
    "  UNION ALL "
    "  (SELECT DISTINCT ON (p.consumer_id, t.name) p.consumer_version, t.name, 'tag' "
    "  FROM pubs p JOIN tag t ON t.tenant = $1 AND t.version = p.consumer_version "
    "  ORDER BY p.consumer_id, t.name, p.position DESC)"
    ") "
    "SELECT h.label, h.via, p.consumer, p.number AS consumer_version, p.position, "
    "c.id AS content_id, c.sha, c.kind "
    "FROM heads h JOIN pubs p ON p.consumer_version = h.consumer_version "
    "JOIN contract_content c ON c.tenant = $1 AND c.id = p.content "
    "WHERE p.updated_at >= $3 "
    "ORDER BY p.consumer, p.position DESC, h.via, h.label"
)

# Successful verifications of content c by provider $2 versions: on branch $4, on another branch before
# branch $4 was created, at all, and with which of the tags $5.
VERIFIED = (
    "SELECT c.id AS content_id, "
    "EXISTS (SELECT 1 FROM verification_result vr "
    "  JOIN branch_version bv ON bv.tenant = $1 AND bv.version = vr.provider_version "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch AND b.name = $4 "
    "  WHERE vr.tenant = $1 AND vr.content = c.id AND vr.provider = $2 AND vr.success) AS by_branch, "
    "EXISTS (SELECT 1 FROM verification_result vr "
    "  JOIN branch_version bv ON bv.tenant = $1 AND bv.version = vr.provider_version "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch AND b.name <> $4 "
    "  WHERE vr.tenant = $1 AND vr.content = c.id AND vr.provider = $2 AND vr.success "
    "  AND vr.created_at < COALESCE((SELECT pb.created_at FROM branch pb "
    "    WHERE pb.tenant = $1 AND pb.service = $2 AND pb.name = $4), 'infinity'::timestamptz)) "
    "  AS before_branch, "
    "EXISTS (SELECT 1 FROM verification_result vr "
    "  WHERE vr.tenant = $1 AND vr.content = c.id AND vr.provider = $2 AND vr.success) AS at_all, "
    "ARRAY(SELECT DISTINCT t.name FROM verification_result vr "
    "  JOIN tag t ON t.tenant = $1 AND t.version = vr.provider_version AND t.name = ANY($5::text[]) "
    "  WHERE vr.tenant = $1 AND vr.content = c.id AND vr.provider = $2 AND vr.success ORDER BY t.name) "
    "  AS tags "
    "FROM contract_content c WHERE c.tenant = $1 AND c.id = ANY($3::uuid[])"
)
