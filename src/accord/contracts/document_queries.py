"""Statements reading publications by consumer version, label and content, as the Pact Broker API's reads need
them, and the row types they fill (ContractRepository and ContractContentRepository run them).

Every statement here has a fixed shape: filters that don't apply are NULL (or false) parameters.
"""

from __future__ import annotations

from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.rows import Row


class CurrentContentRow(Row, frozen=True, kw_only=True):
    """What a consumer version currently publishes for a provider (any kind of content)."""

    provider: UUID
    sha: str
    kind: str
    content: str


_COLUMNS = (
    "c.name AS consumer, p.name AS provider, v.number AS consumer_version, v.id AS consumer_version_id, "
    "v.position, cc.id AS content_id, cc.sha, cc.kind, cc.interaction_count, pub.created_at, pub.updated_at "
)
_FROM = (
    "FROM contract_publication pub "
    "JOIN contract_content cc ON cc.tenant = $1 AND cc.id = pub.content "
    "JOIN service c ON c.tenant = $1 AND c.id = pub.consumer "
    "JOIN service p ON p.tenant = $1 AND p.id = pub.provider "
    "JOIN service_version v ON v.tenant = $1 AND v.id = pub.consumer_version "
    "WHERE pub.tenant = $1 "
)

# Filters on the publication's consumer version `v` (of consumer `c`): with tag {tag}, on branch {branch},
# on the consumer's main branch when {main} is true. NULL / false mean "any".
_VERSION_FILTERS = (
    "AND ({tag}::text IS NULL OR EXISTS (SELECT 1 FROM tag t WHERE t.tenant = $1 AND t.version = v.id "
    "  AND t.name = {tag})) "
    "AND ({branch}::text IS NULL OR EXISTS (SELECT 1 FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = v.id "
    "  AND b.name = {branch})) "
    "AND (NOT {main}::bool OR EXISTS (SELECT 1 FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = v.id "
    f"  AND b.name = {main_branch_sql('c')})) "
)

_WITH_CONTENT = ", cc.content::text AS content "

BY_VERSION = "SELECT " + _COLUMNS + _WITH_CONTENT + _FROM + "AND c.name = $2 AND p.name = $3 AND v.number = $4"

LATEST = (
    "SELECT "
    + _COLUMNS
    + _WITH_CONTENT
    + _FROM
    + "AND c.name = $2 AND p.name = $3 "
    + _VERSION_FILTERS.format(tag="$4", branch="$5", main="$6")
    + "ORDER BY v.position DESC LIMIT 1"
)

LATEST_PER_CONSUMER = (
    "SELECT * FROM (SELECT DISTINCT ON (pub.consumer) "
    + _COLUMNS
    + _FROM
    + "AND p.name = $2 "
    + _VERSION_FILTERS.format(tag="$3", branch="$4", main="$5")
    + "ORDER BY pub.consumer, v.position DESC) AS heads ORDER BY consumer"
)

FOR_PROVIDER = (
    "SELECT "
    + _COLUMNS
    + _FROM
    + "AND p.name = $2 "
    + _VERSION_FILTERS.format(tag="$3", branch="NULL", main="false")
    + "AND ($4::bigint IS NULL OR v.position < $4) ORDER BY v.position DESC LIMIT $5"
)

LATEST_PER_PAIR = (
    "SELECT * FROM (SELECT DISTINCT ON (pub.consumer, pub.provider) "
    + _COLUMNS
    + _FROM
    + "ORDER BY pub.consumer, pub.provider, v.position DESC) AS heads ORDER BY consumer, provider"
)

CURRENT = (
    "SELECT pub.provider, cc.sha, cc.kind, cc.content::text AS content FROM contract_publication pub "
    "JOIN contract_content cc ON cc.tenant = $1 AND cc.id = pub.content "
    "WHERE pub.tenant = $1 AND pub.consumer_version = $2 AND pub.provider = ANY($3::uuid[])"
)

BY_SHA_WITH_LATEST_VERSION = (
    "SELECT c.name AS consumer, p.name AS provider, cc.id AS content_id, cc.sha, cc.kind, cc.interaction_count, "
    "cc.content::text AS content, cc.created_at, cc.updated_at, latest.number AS consumer_version "
    "FROM contract_content cc "
    "JOIN service c ON c.tenant = $1 AND c.id = cc.consumer "
    "JOIN service p ON p.tenant = $1 AND p.id = cc.provider "
    "LEFT JOIN LATERAL (SELECT v.number FROM contract_publication pub "
    "  JOIN service_version v ON v.tenant = $1 AND v.id = pub.consumer_version "
    "  WHERE pub.tenant = $1 AND pub.content = cc.id ORDER BY v.position DESC LIMIT 1) AS latest ON true "
    "WHERE cc.tenant = $1 AND c.name = $2 AND p.name = $3 AND cc.sha = $4"
)

# Documents go in (provider, sha) order so that concurrent publishers of the same documents by different
# consumer versions wait on each other in one order.
STORE_DOCUMENTS = (
    "INSERT INTO contract_content (tenant, consumer, provider, sha, kind, content, interaction_count) "
    "SELECT $1, $2, t.p, t.sha, 'pact', t.content::jsonb, t.n "
    "FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[]) AS t(p, sha, content, n) "
    "ORDER BY t.p, t.sha "
    "ON CONFLICT (tenant, consumer, provider, sha) DO NOTHING"
)

PUBLISH_CONTENTS = (
    "INSERT INTO contract_publication (tenant, consumer, consumer_version, provider, content) "
    "SELECT $1, $2, $3, t.p, cc.id FROM unnest($4::uuid[], $5::text[]) AS t(p, sha) "
    "JOIN contract_content cc ON cc.tenant = $1 AND cc.consumer = $2 AND cc.provider = t.p "
    "  AND cc.sha = t.sha "
    "ORDER BY t.p "
    "ON CONFLICT (tenant, consumer_version, provider) DO UPDATE "
    "SET content = EXCLUDED.content, updated_at = now() "
    "WHERE contract_publication.content IS DISTINCT FROM EXCLUDED.content"
)
