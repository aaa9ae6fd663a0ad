"""Pacts as contract contents: storing published pacts, and the reads Pact clients make of publications.

Published pacts live in the same tables as contracts that follow recorded interactions: a ContractContent of
kind 'pact' (shared by every consumer version that published exactly the same pact) and a ContractPublication
per (consumer version, provider). Every statement here has a fixed shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from accord.catalog.main_branch import main_branch_sql
from accord.db.repository import TenantRepository
from tables.contracts import ContractPublication

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

_BY_VERSION = "SELECT " + _COLUMNS + _WITH_CONTENT + _FROM + "AND c.name = $2 AND p.name = $3 AND v.number = $4"

_LATEST = (
    "SELECT "
    + _COLUMNS
    + _WITH_CONTENT
    + _FROM
    + "AND c.name = $2 AND p.name = $3 "
    + _VERSION_FILTERS.format(tag="$4", branch="$5", main="$6")
    + "ORDER BY v.position DESC LIMIT 1"
)

_LATEST_PER_CONSUMER = (
    "SELECT * FROM (SELECT DISTINCT ON (pub.consumer) "
    + _COLUMNS
    + _FROM
    + "AND p.name = $2 "
    + _VERSION_FILTERS.format(tag="$3", branch="$4", main="$5")
    + "ORDER BY pub.consumer, v.position DESC) AS heads ORDER BY consumer"
)

_FOR_PROVIDER = (
    "SELECT "
    + _COLUMNS
    + _FROM
    + "AND p.name = $2 "
    + _VERSION_FILTERS.format(tag="$3", branch="NULL", main="false")
    + "AND ($4::bigint IS NULL OR v.position < $4) ORDER BY v.position DESC LIMIT $5"
)

_LATEST_PER_PAIR = (
    "SELECT * FROM (SELECT DISTINCT ON (pub.consumer, pub.provider) "
    + _COLUMNS
    + _FROM
    + "ORDER BY pub.consumer, pub.provider, v.position DESC) AS heads ORDER BY consumer, provider"
)

_BY_SHA = (
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


class PactRepository(TenantRepository[ContractPublication]):
    """Published pacts: their contents and publications, and the reads of the Pact Broker API."""

    table = ContractPublication

    async def current(self, consumer_version_id: UUID, provider_ids: Sequence[UUID]) -> list[dict[str, Any]]:
        """What the consumer version currently expects of each of the providers (any kind of content)."""
        return await self.fetch(
            "SELECT pub.provider, cc.sha, cc.kind, cc.content::text AS content FROM contract_publication pub "
            "JOIN contract_content cc ON cc.tenant = $1 AND cc.id = pub.content "
            "WHERE pub.tenant = $1 AND pub.consumer_version = $2 AND pub.provider = ANY($3::uuid[])",
            consumer_version_id,
            list(provider_ids),
        )

    async def store(
        self,
        consumer_id: UUID,
        consumer_version_id: UUID,
        pacts: Sequence[tuple[UUID, str, str, int]],
    ) -> None:
        """(provider id, sha, pact JSON, interaction count): store each content unless some consumer version
        already published it, then point the version's publications at them. Two statements.

        Callers hold the consumer version's lock (see ContractFollower), so publications can't interleave.
        """
        if not pacts:
            return
        ordered = sorted(pacts)
        # Contents go in (provider, sha) order so that concurrent publishers of the same pacts by different
        # consumer versions wait on each other in one order.
        await self.execute(
            "INSERT INTO contract_content (tenant, consumer, provider, sha, kind, content, interaction_count) "
            "SELECT $1, $2, t.p, t.sha, 'pact', t.content::jsonb, t.n "
            "FROM unnest($3::uuid[], $4::text[], $5::text[], $6::int[]) AS t(p, sha, content, n) "
            "ORDER BY t.p, t.sha "
            "ON CONFLICT (tenant, consumer, provider, sha) DO NOTHING",
            consumer_id,
            [pact[0] for pact in ordered],
            [pact[1] for pact in ordered],
            [pact[2] for pact in ordered],
            [pact[3] for pact in ordered],
        )
        # A separate statement: its fresh snapshot sees contents a concurrent transaction committed while the
        # insert above waited on it.
        await self.execute(
            "INSERT INTO contract_publication (tenant, consumer, consumer_version, provider, content) "
            "SELECT $1, $2, $3, t.p, cc.id FROM unnest($4::uuid[], $5::text[]) AS t(p, sha) "
            "JOIN contract_content cc ON cc.tenant = $1 AND cc.consumer = $2 AND cc.provider = t.p "
            "  AND cc.sha = t.sha "
            "ORDER BY t.p "
            "ON CONFLICT (tenant, consumer_version, provider) DO UPDATE "
            "SET content = EXCLUDED.content, updated_at = now() "
            "WHERE contract_publication.content IS DISTINCT FROM EXCLUDED.content",
            consumer_id,
            consumer_version_id,
            [pact[0] for pact in ordered],
            [pact[1] for pact in ordered],
        )

    async def by_version(self, consumer: str, provider: str, consumer_version: str) -> dict[str, Any] | None:
        rows = await self.fetch(_BY_VERSION, consumer, provider, consumer_version)
        return rows[0] if rows else None

    async def latest(
        self, consumer: str, provider: str, *, tag: str | None, branch: str | None, main_branch: bool
    ) -> dict[str, Any] | None:
        """The publication of the newest consumer version (with the tag, on the branch) for the pair."""
        rows = await self.fetch(_LATEST, consumer, provider, tag, branch, main_branch)
        return rows[0] if rows else None

    async def by_sha(self, consumer: str, provider: str, sha: str) -> dict[str, Any] | None:
        """A content of the pair, with the newest consumer version that publishes it (if any still does)."""
        rows = await self.fetch(_BY_SHA, consumer, provider, sha)
        return rows[0] if rows else None

    async def latest_per_consumer(
        self, provider: str, *, tag: str | None, branch: str | None, main_branch: bool
    ) -> list[dict[str, Any]]:
        """For each consumer of the provider, the publication of its newest (tagged, branch) version."""
        return await self.fetch(_LATEST_PER_CONSUMER, provider, tag, branch, main_branch)

    async def for_provider(
        self, provider: str, *, tag: str | None, limit: int, before_position: int | None
    ) -> list[dict[str, Any]]:
        """Every publication with the provider (of versions with the tag), newest consumer version first."""
        return await self.fetch(_FOR_PROVIDER, provider, tag, before_position, limit)

    async def latest_per_pair(self) -> list[dict[str, Any]]:
        """For each consumer and provider, the publication of the consumer's newest version."""
        return await self.fetch(_LATEST_PER_PAIR)
