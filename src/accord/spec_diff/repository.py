"""Reads for a spec diff: the two documents, and the contracts of consumers deployed or released somewhere."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.contracts import ContractPublication, Spec


class VersionSpecRow(Row, frozen=True, kw_only=True):
    """A version of the service, with its spec's content as JSON text (None when it has no spec)."""

    service_id: UUID
    number: str
    content_sha: str | None
    content: str | None


class LivePublicationRow(Row, frozen=True, kw_only=True):
    """A consumer version running in an environment, and the content it expects of the provider."""

    consumer: str
    consumer_version: str
    environment: str
    deployed: bool
    released: bool
    content_id: UUID


class SpecPairRepository(TenantRepository[Spec]):
    """Specs of a provider's versions, by number."""

    table = Spec

    async def of_versions(self, service: str, numbers: Sequence[str]) -> list[VersionSpecRow]:
        """A row per existing version among `numbers`, with its spec (content NULL when it has none)."""
        return await self.fetch_as(
            VersionSpecRow,
            "SELECT s.id AS service_id, v.number, sp.content_sha, sp.content::text AS content "
            "FROM service s "
            "JOIN service_version v ON v.tenant = $1 AND v.service = s.id AND v.number = ANY($3::text[]) "
            "LEFT JOIN spec sp ON sp.tenant = $1 AND sp.version = v.id "
            "WHERE s.tenant = $1 AND s.name = $2",
            service,
            list(numbers),
        )


class LiveContractRepository(TenantRepository[ContractPublication]):
    """What consumer versions that run somewhere (deployed, or released and supported) expect of a provider."""

    table = ContractPublication

    async def live_publications(self, provider_id: UUID) -> list[LivePublicationRow]:
        """A row per (consumer version, environment) with a current deployment or supported release there,
        and the id of the content the version expects of the provider."""
        return await self.fetch_as(
            LivePublicationRow,
            "WITH live AS ("
            "  SELECT d.version, d.environment, true AS deployed, false AS released FROM deployment d "
            "  WHERE d.tenant = $1 AND d.currently_deployed "
            "  UNION ALL "
            "  SELECT r.version, r.environment, false, true FROM release r "
            "  WHERE r.tenant = $1 AND r.currently_supported) "
            "SELECT c.name AS consumer, v.number AS consumer_version, e.name AS environment, "
            "  bool_or(live.deployed) AS deployed, bool_or(live.released) AS released, pub.content AS content_id "
            "FROM contract_publication pub "
            "JOIN live ON live.version = pub.consumer_version "
            "JOIN environment e ON e.tenant = $1 AND e.id = live.environment "
            "JOIN service c ON c.tenant = $1 AND c.id = pub.consumer "
            "JOIN service_version v ON v.tenant = $1 AND v.id = pub.consumer_version "
            "WHERE pub.tenant = $1 AND pub.provider = $2 "
            "GROUP BY c.name, v.position, v.number, e.name, pub.content "
            "ORDER BY c.name, v.position, e.name",
            provider_id,
        )

    async def contents(self, content_ids: Sequence[UUID]) -> dict[UUID, tuple[str, str]]:
        """{content id: (kind, document as JSON text)}; each distinct content once."""
        rows = await self.fetch(
            "SELECT id, kind, content::text AS content FROM contract_content "
            "WHERE tenant = $1 AND id = ANY($2::uuid[])",
            sorted(set(content_ids)),
        )
        return {row["id"]: (row["kind"], row["content"]) for row in rows}
