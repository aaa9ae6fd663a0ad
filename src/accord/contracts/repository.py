"""Queries of contract publications and contents, and the set-based recomputation of contracts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from accord.contracts import document_queries as documents
from accord.contracts.document_queries import CurrentContentRow
from accord.contracts.schemas import ContractDocument, ContractHead, IntegrationRow, PublishedContent
from accord.db.counted_rows import Counted, counted
from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import ContractContent, ContractPublication

# Namespace of the two-key advisory locks serializing contract recomputation per consumer version (the
# one-key space is used elsewhere, e.g. by migrations).
CONSUMER_VERSION_LOCK_SPACE = 0x0ACC_C0

_SUMMARY = (
    "SELECT pub.id, c.name AS consumer, v.number AS consumer_version, p.name AS provider, cc.sha, cc.kind, "
    "cc.interaction_count, pub.updated_at {extra}"
    "FROM contract_publication pub "
    "JOIN contract_content cc ON cc.id = pub.content AND cc.tenant = $1 "
    "JOIN service c ON c.id = pub.consumer AND c.tenant = $1 "
    "JOIN service_version v ON v.id = pub.consumer_version AND v.tenant = $1 "
    "JOIN service p ON p.id = pub.provider AND p.tenant = $1 "
    "WHERE pub.tenant = $1"
)

_CONTENT = (
    "SELECT cc.id, c.name AS consumer, p.name AS provider, cc.sha, cc.kind, cc.interaction_count, "
    "cc.content::text AS content, cc.created_at "
    "FROM contract_content cc "
    "JOIN service c ON c.id = cc.consumer AND c.tenant = $1 "
    "JOIN service p ON p.id = cc.provider AND p.tenant = $1 "
    "WHERE cc.tenant = $1"
)


class PublicationRow(Row, frozen=True, kw_only=True):
    """A publication as listed (_SUMMARY): which content a consumer version publishes for a provider."""

    id: UUID
    consumer: str
    consumer_version: str
    provider: str
    sha: str
    kind: str
    interaction_count: int
    updated_at: datetime.datetime


class PublicationWithInteractionsRow(PublicationRow, frozen=True, kw_only=True):
    interactions: str  # the content's interactions, JSON text


class ContentRow(Row, frozen=True, kw_only=True):
    """A contract content (_CONTENT), its document as JSON text."""

    id: UUID
    consumer: str
    provider: str
    sha: str
    kind: str
    interaction_count: int
    content: str
    created_at: datetime.datetime


# Each pair's newest pact (by consumer version order) and that content's newest verification, with what the
# dashboard shows of them: the versions' branches and tags, and the pair's webhook activity. Pages are chosen
# on the pairs first (`paged`), so only a page's pairs pay for their tags, branches and webhooks.
_INTEGRATION_PAIRS = (
    "WITH latest AS ("
    "  SELECT DISTINCT ON (p.consumer, p.provider) p.consumer, p.provider, p.content, p.consumer_version, "
    "    p.created_at FROM contract_publication p "
    "  JOIN service_version cv ON cv.tenant = $1 AND cv.id = p.consumer_version "
    "  WHERE p.tenant = $1 ORDER BY p.consumer, p.provider, cv.position DESC), "
    "pairs AS ("
    "  SELECT latest.*, cs.name AS consumer_name, ps.name AS provider_name, verdict.id AS verdict_id, "
    "    GREATEST(latest.created_at, verdict.created_at) AS last_activity, count(*) OVER () AS total "
    "  FROM latest JOIN service cs ON cs.tenant = $1 AND cs.id = latest.consumer "
    "  JOIN service ps ON ps.tenant = $1 AND ps.id = latest.provider "
    "  LEFT JOIN LATERAL (SELECT vr.id, vr.created_at FROM verification_result vr "
    "    WHERE vr.tenant = $1 AND vr.content = latest.content AND vr.provider = latest.provider "
    "    ORDER BY vr.created_at DESC LIMIT 1) verdict ON true), "
)
_INTEGRATIONS_BY_NAMES = "paged AS (SELECT * FROM pairs ORDER BY consumer_name, provider_name LIMIT $2 OFFSET $3) "
# The broker's dashboard shows the most recently active pairs first.
_INTEGRATIONS_BY_ACTIVITY = (
    "paged AS (SELECT * FROM pairs ORDER BY last_activity DESC, consumer_name, provider_name LIMIT $2 OFFSET $3) "
)
_VERSION_LABELS = (
    "COALESCE((SELECT array_agg(b.name ORDER BY bv.position) FROM branch_version bv "
    "  JOIN branch b ON b.tenant = $1 AND b.id = bv.branch WHERE bv.tenant = $1 AND bv.version = {v}), '{{}}') "
    "  AS {prefix}_branches, "
    "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = {v}), "
    "  '{{}}') AS {prefix}_tags, "
)
_INTEGRATIONS_PAGE = (
    "SELECT paged.consumer_name AS consumer, paged.provider_name AS provider, cv.number AS consumer_version, "
    "  c.sha, paged.created_at AS pact_created_at, vr.success, vr.created_at AS verified_at, "
    "  pv.number AS provider_version, paged.total, "
    + _VERSION_LABELS.format(v="paged.consumer_version", prefix="consumer_version")
    + _VERSION_LABELS.format(v="vr.provider_version", prefix="provider_version")
    # Tags of the provider version that no later version of the provider carries (the broker's `latest`).
    + "COALESCE((SELECT array_agg(t.name ORDER BY t.name) FROM tag t WHERE t.tenant = $1 AND t.version = pv.id "
    "  AND NOT EXISTS (SELECT 1 FROM tag later JOIN service_version lv ON lv.tenant = $1 AND lv.id = later.version "
    "    WHERE later.tenant = $1 AND later.name = t.name AND lv.service = pv.service AND lv.position > pv.position)), "
    "  '{}') AS provider_latest_tags, "
    "  hook.created_at AS webhook_at, hook.success AS webhook_success, delivery.status AS delivery_status, "
    # Enabled webhooks that may fire for the pair: label selectors aren't resolved here, so a webhook that
    # selects by label alone counts for every pair (only the difference between `none` and `not_run`).
    "  EXISTS (SELECT 1 FROM webhook w WHERE w.tenant = $1 AND w.enabled "
    "    AND (w.consumer IS NULL OR w.consumer = paged.consumer) "
    "    AND (w.provider IS NULL OR w.provider = paged.provider)) AS has_webhooks "
    "FROM paged JOIN service_version cv ON cv.tenant = $1 AND cv.id = paged.consumer_version "
    "JOIN contract_content c ON c.tenant = $1 AND c.id = paged.content "
    "LEFT JOIN verification_result vr ON vr.tenant = $1 AND vr.id = paged.verdict_id "
    "LEFT JOIN service_version pv ON pv.tenant = $1 AND pv.id = vr.provider_version "
    # The pair's webhook activity: its events' newest request sent, and its newest delivery's state.
    "LEFT JOIN LATERAL (SELECT a.created_at, a.success FROM webhook_attempt a "
    "  JOIN webhook_delivery d ON d.tenant = $1 AND d.id = a.delivery JOIN event e ON e.tenant = $1 AND e.id = d.event "
    "  WHERE a.tenant = $1 AND e.consumer = paged.consumer AND e.provider = paged.provider "
    "  ORDER BY a.created_at DESC LIMIT 1) hook ON true "
    "LEFT JOIN LATERAL (SELECT d.status FROM webhook_delivery d JOIN event e ON e.tenant = $1 AND e.id = d.event "
    "  WHERE d.tenant = $1 AND e.consumer = paged.consumer AND e.provider = paged.provider "
    "  ORDER BY d.created_at DESC LIMIT 1) delivery ON true "
)


class ContractRepository(TenantRepository[ContractPublication]):
    """Publications (which content a consumer version expects of a provider) and their recomputation."""

    table = ContractPublication

    async def lock_contents_for_delete(self, content_ids: list[UUID]) -> None:
        await self.fetch("SELECT id FROM contract_content WHERE tenant = $1 AND id = ANY($2) FOR UPDATE", content_ids)

    async def delete_contents(self, content_ids: list[UUID]) -> None:
        """Contents and what refers to them (ON DELETE CASCADE); the caller knows no publication uses them."""
        await self.execute("DELETE FROM contract_content WHERE tenant = $1 AND id = ANY($2)", content_ids)

    async def lock_consumer_versions(self, consumer_version_ids: Iterable[UUID]) -> None:
        """Transaction-scoped advisory locks on (tenant, consumer version), taken in key order in one statement
        so that two transactions locking overlapping sets can't deadlock."""
        ids = sorted(set(consumer_version_ids))
        if ids:
            await self.execute(
                "SELECT pg_advisory_xact_lock($2::int, k) FROM "
                "(SELECT DISTINCT hashtext($1::uuid::text || '/' || v::text) AS k FROM unnest($3::uuid[]) AS v "
                "ORDER BY k) AS keys",
                CONSUMER_VERSION_LOCK_SPACE,
                ids,
            )

    async def recompute(
        self, pairs: Sequence[tuple[UUID, UUID]], *, as_recorded: bool = False
    ) -> list[tuple[UUID, UUID]]:
        """Make each (consumer version, provider)'s publication point at the content of its current set of
        distinct interactions, storing that content if no consumer version had it yet. Two statements; returns
        the pairs whose publication was created or now points at another content.

        A changed publication's `updated_at` is now, or with `as_recorded` (a derivation deferred past its
        batches) when the pair's latest interaction was recorded, so listings keep the order of the uploads.

        Callers hold the consumer versions' locks; under READ COMMITTED each statement then sees every
        interaction committed before the lock was granted, plus the caller's own.
        """
        if not pairs:
            return []
        versions = [pair[0] for pair in pairs]
        providers = [pair[1] for pair in pairs]
        # Contents go in (consumer, provider, sha) order so that concurrent inserts of the same content by
        # different consumer versions wait on each other in one order.
        contracts = await self.fetch(
            "WITH pairs AS (SELECT DISTINCT t.cv, t.p FROM unnest($2::uuid[], $3::uuid[]) AS t(cv, p)), "
            "members AS ("
            "  SELECT DISTINCT ON (i.consumer_version, i.provider, i.content_hash) "
            "    i.consumer, i.consumer_version, i.provider, i.content_hash, i.operation, i.request, i.response, "
            "    max(i.created_at) OVER (PARTITION BY i.consumer_version, i.provider) AS changed_at "
            "  FROM interaction i JOIN pairs ON i.consumer_version = pairs.cv AND i.provider = pairs.p "
            "  WHERE i.tenant = $1 "
            "  ORDER BY i.consumer_version, i.provider, i.content_hash, i.recorded_at, i.id), "
            "contracts AS ("
            "  SELECT consumer, consumer_version, provider, count(*)::int AS interaction_count, max(changed_at) AS at, "
            "    encode(sha256(convert_to("
            "      string_agg(content_hash, ',' ORDER BY content_hash COLLATE \"C\"), 'UTF8')), 'hex') AS sha, "
            "    jsonb_build_object('interactions', jsonb_agg(jsonb_build_object("
            "      'key', content_hash, 'operation', operation, 'request', request, 'response', response) "
            '      ORDER BY content_hash COLLATE "C")) AS content '
            "  FROM members GROUP BY consumer, consumer_version, provider), "
            "stored AS ("
            "  INSERT INTO contract_content (tenant, consumer, provider, sha, kind, content, interaction_count) "
            "  SELECT DISTINCT ON (consumer, provider, sha) $1, consumer, provider, sha, 'interactions', content, "
            "    interaction_count "
            "  FROM contracts ORDER BY consumer, provider, sha "
            "  ON CONFLICT (tenant, consumer, provider, sha) DO NOTHING) "
            "SELECT consumer, consumer_version, provider, sha, at FROM contracts",
            versions,
            providers,
        )
        if not contracts:
            return []
        # A separate statement: its fresh snapshot sees contents that a concurrent transaction committed
        # while the insert above waited on it (the CTE's snapshot could not).
        changed = await self.fetch(
            "INSERT INTO contract_publication (tenant, consumer, consumer_version, provider, content, updated_at) "
            "SELECT $1, t.c, t.cv, t.p, cc.id, CASE WHEN $7 THEN t.at ELSE now() END "
            "FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[]) AS t(c, cv, p, sha, at) "
            "JOIN contract_content cc ON cc.tenant = $1 AND cc.consumer = t.c AND cc.provider = t.p "
            "  AND cc.sha = t.sha "
            "ORDER BY t.cv, t.p "
            "ON CONFLICT (tenant, consumer_version, provider) DO UPDATE "
            "SET content = EXCLUDED.content, updated_at = EXCLUDED.updated_at "
            "WHERE contract_publication.content IS DISTINCT FROM EXCLUDED.content "
            "RETURNING consumer_version, provider",
            [row["consumer"] for row in contracts],
            [row["consumer_version"] for row in contracts],
            [row["provider"] for row in contracts],
            [row["sha"] for row in contracts],
            [row["at"] for row in contracts],
            as_recorded,
        )
        return [(row["consumer_version"], row["provider"]) for row in changed]

    async def published_sha(self, consumer_version_id: UUID, provider_id: UUID) -> str | None:
        rows = await self.fetch(
            "SELECT cc.sha FROM contract_publication pub JOIN contract_content cc ON cc.id = pub.content "
            "AND cc.tenant = $1 WHERE pub.tenant = $1 AND pub.consumer_version = $2 AND pub.provider = $3",
            consumer_version_id,
            provider_id,
        )
        return str(rows[0]["sha"]) if rows else None

    async def interactions_sha(
        self, consumer_version_id: UUID, provider_id: UUID, *, excluding: list[str]
    ) -> str | None:
        """The SHA `recompute` would give the pair's interactions other than `excluding` (hashes); None if none."""
        rows = await self.fetch(
            "SELECT encode(sha256(convert_to(string_agg(ch, ',' ORDER BY ch), 'UTF8')), 'hex') AS sha FROM ("
            '  SELECT DISTINCT content_hash COLLATE "C" AS ch FROM interaction '
            "  WHERE tenant = $1 AND consumer_version = $2 AND provider = $3 AND NOT (hash = ANY($4::text[]))) AS m",
            consumer_version_id,
            provider_id,
            excluding,
        )
        return rows[0]["sha"] if rows and rows[0]["sha"] is not None else None

    async def list_page(
        self,
        *,
        consumer: str | None,
        provider: str | None,
        consumer_version: str | None,
        limit: int,
        before: tuple[datetime.datetime, UUID] | None,
    ) -> list[PublicationRow]:
        """Most recently (re)published first, by (updated_at, id)."""
        conditions: list[str] = []
        args: list[Any] = []

        def bind(value: Any) -> str:
            args.append(value)
            return f"${len(args) + 1}"

        if consumer is not None:
            conditions.append(f"pub.consumer = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(consumer)})")
        if provider is not None:
            conditions.append(f"pub.provider = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(provider)})")
        if consumer_version is not None:
            conditions.append(f"v.number = {bind(consumer_version)}")
        if before is not None:
            conditions.append(f"(pub.updated_at, pub.id) < ({bind(before[0])}::timestamptz, {bind(before[1])}::uuid)")
        where = "".join(f" AND {condition}" for condition in conditions)
        query = f"{_SUMMARY.format(extra='')}{where} ORDER BY pub.updated_at DESC, pub.id DESC LIMIT {bind(limit)}"
        return await self.fetch_as(PublicationRow, query, *args)

    async def get(self, consumer: str, consumer_version: str, provider: str) -> PublicationWithInteractionsRow | None:
        """The publication with its content's interactions (JSON text)."""
        return await self.fetch_one(
            PublicationWithInteractionsRow,
            _SUMMARY.format(extra=", COALESCE(cc.content -> 'interactions', '[]'::jsonb)::text AS interactions ")
            + " AND c.name = $2 AND v.number = $3 AND p.name = $4",
            consumer,
            consumer_version,
            provider,
        )

    async def contents_for(self, consumer_version_ids: Sequence[UUID], provider_id: UUID) -> list[PublishedContent]:
        return await self.fetch_as(
            PublishedContent,
            "SELECT pub.consumer AS consumer_id, pub.consumer_version AS consumer_version_id, "
            "pub.provider AS provider_id, cc.id AS content_id, cc.sha, cc.kind, cc.interaction_count "
            "FROM contract_publication pub JOIN contract_content cc ON cc.id = pub.content AND cc.tenant = $1 "
            "WHERE pub.tenant = $1 AND pub.provider = $2 AND pub.consumer_version = ANY($3::uuid[]) "
            "ORDER BY pub.consumer_version",
            provider_id,
            list(consumer_version_ids),
        )

    async def providers_of_consumer_version(self, version_id: UUID) -> list[str]:
        """Providers the version (as a consumer) published contracts for, by name."""
        rows = await self.fetch(
            "SELECT s.name FROM contract_publication p JOIN service s ON s.tenant = $1 AND s.id = p.provider "
            "WHERE p.tenant = $1 AND p.consumer_version = $2 ORDER BY lower(s.name), s.name",
            version_id,
        )
        return [row["name"] for row in rows]

    async def integrations_page(self, *, limit: int, offset: int, by_activity: bool) -> Counted[IntegrationRow]:
        """Consumer-provider pairs by names, or (`by_activity`) most recently published or verified first; with
        the count of all pairs."""
        order = "ORDER BY paged.last_activity DESC, paged.consumer_name, paged.provider_name"
        if not by_activity:
            order = "ORDER BY paged.consumer_name, paged.provider_name"
        page = _INTEGRATIONS_BY_ACTIVITY if by_activity else _INTEGRATIONS_BY_NAMES
        return counted(
            await self.fetch(_INTEGRATION_PAIRS + page + _INTEGRATIONS_PAGE + order, limit, offset), IntegrationRow
        )

    async def current_contents(
        self, consumer_version_id: UUID, provider_ids: Sequence[UUID]
    ) -> list[CurrentContentRow]:
        """What the consumer version currently publishes for each of the providers (any kind of content)."""
        return await self.fetch_as(CurrentContentRow, documents.CURRENT, consumer_version_id, list(provider_ids))

    async def publish_contents(
        self, consumer_id: UUID, consumer_version_id: UUID, provider_shas: Sequence[tuple[UUID, str]]
    ) -> None:
        """Point the consumer version's publications for the providers at their contents (by sha), which
        ContractContentRepository.store_documents stored. Callers hold the consumer version's lock.

        A statement apart from the contents' insert: its fresh snapshot sees contents a concurrent transaction
        committed while that insert waited on it."""
        ordered = sorted(provider_shas)
        await self.execute(
            documents.PUBLISH_CONTENTS,
            consumer_id,
            consumer_version_id,
            [provider for provider, _ in ordered],
            [sha for _, sha in ordered],
        )

    async def document_by_version(self, consumer: str, provider: str, consumer_version: str) -> ContractDocument | None:
        return await self.fetch_one(ContractDocument, documents.BY_VERSION, consumer, provider, consumer_version)

    async def latest_document(
        self, consumer: str, provider: str, *, tag: str | None, branch: str | None, main_branch: bool
    ) -> ContractDocument | None:
        """The publication of the newest consumer version (with the tag, on the branch) for the pair."""
        return await self.fetch_one(ContractDocument, documents.LATEST, consumer, provider, tag, branch, main_branch)

    async def latest_per_consumer(
        self, provider: str, *, tag: str | None, branch: str | None, main_branch: bool
    ) -> list[ContractHead]:
        """For each consumer of the provider, the publication of its newest (tagged, branch) version."""
        return await self.fetch_as(ContractHead, documents.LATEST_PER_CONSUMER, provider, tag, branch, main_branch)

    async def for_provider(
        self, provider: str, *, tag: str | None, limit: int, before_position: int | None
    ) -> list[ContractHead]:
        """Every publication with the provider (of versions with the tag), newest consumer version first."""
        return await self.fetch_as(ContractHead, documents.FOR_PROVIDER, provider, tag, before_position, limit)

    async def latest_per_pair(self) -> list[ContractHead]:
        """For each consumer and provider, the publication of the consumer's newest version."""
        return await self.fetch_as(ContractHead, documents.LATEST_PER_PAIR)


class ContractContentRepository(TenantRepository[ContractContent]):
    """Distinct contract contents, shared by every consumer version that expects exactly the same."""

    table = ContractContent

    async def by_sha(self, consumer: str, provider: str, sha: str) -> ContentRow | None:
        return await self.fetch_one(
            ContentRow, f"{_CONTENT} AND c.name = $2 AND p.name = $3 AND cc.sha = $4", consumer, provider, sha
        )

    async def by_id(self, content_id: UUID) -> ContentRow | None:
        return await self.fetch_one(ContentRow, f"{_CONTENT} AND cc.id = $2", content_id)

    async def by_sha_with_latest_version(self, consumer: str, provider: str, sha: str) -> ContractDocument | None:
        """A content of the pair, with the newest consumer version that publishes it (if any still does)."""
        return await self.fetch_one(ContractDocument, documents.BY_SHA_WITH_LATEST_VERSION, consumer, provider, sha)

    async def store_documents(self, consumer_id: UUID, items: Sequence[tuple[UUID, str, str, int]]) -> None:
        """(provider id, sha, document JSON, interaction count): store each document as a content of kind 'pact'
        unless some consumer version of the consumer already published it. One statement."""
        ordered = sorted(items)
        await self.execute(
            documents.STORE_DOCUMENTS,
            consumer_id,
            [document[0] for document in ordered],
            [document[1] for document in ordered],
            [document[2] for document in ordered],
            [document[3] for document in ordered],
        )
