"""Queries of contract publications and contents, and the set-based recomputation of contracts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from accord.db.repository import TenantRepository
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


class ContractRepository(TenantRepository[ContractPublication]):
    """Publications (which content a consumer version expects of a provider) and their recomputation."""

    table = ContractPublication

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
    ) -> list[dict[str, Any]]:
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
        return await self.fetch(query, *args)

    async def get(self, consumer: str, consumer_version: str, provider: str) -> dict[str, Any] | None:
        """The publication with its content's interactions (JSON text)."""
        rows = await self.fetch(
            _SUMMARY.format(extra=", COALESCE(cc.content -> 'interactions', '[]'::jsonb)::text AS interactions ")
            + " AND c.name = $2 AND v.number = $3 AND p.name = $4",
            consumer,
            consumer_version,
            provider,
        )
        return rows[0] if rows else None

    async def contents_for(self, consumer_version_ids: Sequence[UUID], provider_id: UUID) -> list[dict[str, Any]]:
        return await self.fetch(
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


class ContractContentRepository(TenantRepository[ContractContent]):
    """Distinct contract contents, shared by every consumer version that expects exactly the same."""

    table = ContractContent

    async def by_sha(self, consumer: str, provider: str, sha: str) -> dict[str, Any] | None:
        rows = await self.fetch(f"{_CONTENT} AND c.name = $2 AND p.name = $3 AND cc.sha = $4", consumer, provider, sha)
        return rows[0] if rows else None

    async def by_id(self, content_id: UUID) -> dict[str, Any] | None:
        rows = await self.fetch(f"{_CONTENT} AND cc.id = $2", content_id)
        return rows[0] if rows else None
