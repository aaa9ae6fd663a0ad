"""What the mock reads: which version a selector means, its spec, its approved fixtures, recorded interactions."""

from __future__ import annotations

from uuid import UUID

from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from accord.mock.schemas import SelectorKind
from tables.fixtures import Fixture

# The version a selector means, for the provider $2 (an id) and the name $3.
_TARGETS: dict[SelectorKind, str] = {
    "version": "SELECT v.id FROM service_version v WHERE v.tenant = $1 AND v.service = s.id AND v.number = $3",
    "branch": (
        "SELECT bv.version AS id FROM branch b JOIN branch_version bv ON bv.tenant = $1 AND bv.branch = b.id "
        "WHERE b.tenant = $1 AND b.service = s.id AND b.name = $3 ORDER BY bv.position DESC LIMIT 1"
    ),
    "environment": (
        "SELECT d.version AS id FROM deployment d JOIN environment e ON e.tenant = $1 AND e.id = d.environment "
        "WHERE d.tenant = $1 AND d.service = s.id AND e.name = $3 AND d.currently_deployed "
        "ORDER BY d.deployed_at DESC, d.id LIMIT 1"
    ),
}


class TargetRow(Row, frozen=True, kw_only=True):
    """The provider, the version a selector means (None: nothing matches), its spec's sha (None: no spec), and
    the stamp of its approved fixtures."""

    provider_id: UUID
    version_id: UUID | None
    content_sha: str | None
    fixture_stamp: str


class ApprovedFixtureRow(Row, frozen=True, kw_only=True):
    """An approved fixture as the mock serves it; request and response as JSON text."""

    id: UUID
    operation: str
    request: str
    response: str
    priority: int
    embedding: list[float] | None


class RecordedExchangeRow(Row, frozen=True, kw_only=True):
    """A recorded request and its response, as JSON text."""

    request: str
    response: str


class MockRepository(TenantRepository[Fixture]):
    """Reads only; every joined tenant table is filtered by the tenant too."""

    table = Fixture

    async def target(self, provider: str, kind: SelectorKind, name: str) -> TargetRow | None:
        """None when the provider doesn't exist; else its id, the version id (None: the selector matches
        nothing), the version's spec sha (None: no spec) and the stamp of its approved fixtures.

        The stamp changes whenever the set of approved fixtures of the version changes (one approved, edited,
        deprecated, deleted, linked): the cache key of the mock's state. One statement, run on every call.
        """
        rows = await self.fetch(
            "SELECT s.id AS provider_id, t.id AS version_id, sp.content_sha, "
            "  (SELECT count(*)::text || '/' || COALESCE(max(GREATEST(f.updated_at, fv.created_at))::text, '') "
            "   FROM fixture_version fv JOIN fixture f ON f.tenant = $1 AND f.id = fv.fixture "
            "   WHERE fv.tenant = $1 AND fv.version = t.id AND f.status = 'approved') AS fixture_stamp "
            "FROM service s "
            f"LEFT JOIN LATERAL ({_TARGETS[kind]}) t ON true "
            "LEFT JOIN spec sp ON sp.tenant = $1 AND sp.version = t.id "
            "WHERE s.tenant = $1 AND s.name = $2",
            provider,
            name,
        )
        return rows_as(TargetRow, rows)[0] if rows else None

    async def spec_content(self, version_id: UUID) -> str | None:
        rows = await self.fetch(
            "SELECT content::text AS content FROM spec WHERE tenant = $1 AND version = $2", version_id
        )
        return str(rows[0]["content"]) if rows else None

    async def approved_fixtures(self, version_id: UUID) -> list[ApprovedFixtureRow]:
        """The approved fixtures valid for a version, highest priority first, with their vectors."""
        return await self.fetch_as(
            ApprovedFixtureRow,
            "SELECT f.id, f.operation, f.request::text AS request, f.response::text AS response, f.priority, "
            "f.embedding FROM fixture f JOIN fixture_version fv ON fv.tenant = $1 AND fv.fixture = f.id "
            "WHERE f.tenant = $1 AND fv.version = $2 AND f.status = 'approved' "
            "ORDER BY f.priority DESC, f.created_at, f.id",
            version_id,
        )

    async def recorded_with_vector(self, provider_id: UUID, key: str) -> list[RecordedExchangeRow]:
        """The newest few recorded interactions of the provider whose request has this vector (an equal
        request has an equal vector; the caller compares the requests themselves)."""
        return await self.fetch_as(
            RecordedExchangeRow,
            "SELECT i.request::text AS request, i.response::text AS response FROM interaction i "
            "WHERE i.tenant = $1 AND i.provider = $2 AND i.vector_key = $3 ORDER BY i.recorded_at DESC, i.id LIMIT 5",
            provider_id,
            key,
        )
