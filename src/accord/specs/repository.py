"""Queries of provider specs (one per service version)."""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from accord.specs.documents import SourceFormat
from tables.contracts import Spec

# The self-verification without its report (that is read on its own): has_report says whether there is one.
_VERIFICATION = (
    "verification_success, verifier, verifier_version, verification_content_type, "
    "verification_content IS NOT NULL AS has_report, verified_at"
)
_RETURNED = f"content_sha, openapi_version, source_format, created_at, updated_at, {_VERIFICATION}"
_QUALIFIED_VERIFICATION = (
    "sp.verification_success, sp.verifier, sp.verifier_version, sp.verification_content_type, "
    "sp.verification_content IS NOT NULL AS has_report, sp.verified_at"
)
_BY_NAMES = (
    "FROM spec sp JOIN service_version v ON v.id = sp.version AND v.tenant = $1 "
    "JOIN service s ON s.id = v.service AND s.tenant = $1 "
    "WHERE sp.tenant = $1 AND s.name = $2 AND v.number = $3"
)


class SelfVerificationColumns(msgspec.Struct, frozen=True, kw_only=True):
    """The self-verification of a spec (_VERIFICATION): verification_success is None when none was published."""

    verification_success: bool | None
    verifier: str | None
    verifier_version: str | None
    verification_content_type: str | None
    has_report: bool
    verified_at: datetime.datetime | None


class SpecRow(SelfVerificationColumns, frozen=True, kw_only=True):
    """A spec without its document (_RETURNED)."""

    content_sha: str
    openapi_version: str
    source_format: SourceFormat
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SpecListRow(SpecRow, frozen=True, kw_only=True):
    """A spec as listed: with its version's number and position (the page's sort key)."""

    version: str
    position: int


class LockedSpecRow(Row, frozen=True, kw_only=True):
    version: UUID
    content_sha: str


class VerificationReportRow(SelfVerificationColumns, frozen=True, kw_only=True):
    content_sha: str
    verification_content: str | None


class SpecDocumentRow(Row, frozen=True, kw_only=True):
    source_format: SourceFormat
    content: str


class LatestSpecRow(Row, frozen=True, kw_only=True):
    """A service's newest spec: its sha, and its document unless the caller knew that sha already."""

    service: UUID
    content_sha: str
    content: str | None


class SpecRepository(TenantRepository[Spec]):
    """Specs of a tenant; reads by service name and version number join both, scoped to the tenant too."""

    table = Spec

    async def insert_if_absent(
        self,
        *,
        service_id: UUID,
        version_id: UUID,
        content: str,
        content_sha: str,
        source_format: str,
        source_text: str,
        openapi_version: str,
    ) -> SpecRow | None:
        """The new row, or None when the version has a spec already (a concurrent upload's included)."""
        return await self.fetch_one(
            SpecRow,
            "INSERT INTO spec (id, tenant, version, service, content, content_sha, source_format, source_text, "
            "openapi_version, created_at, updated_at) "
            "VALUES (gen_random_uuid(), $1, $2, $3, $4::jsonb, $5, $6, $7, $8, now(), now()) "
            f"ON CONFLICT (tenant, version) DO NOTHING RETURNING {_RETURNED}",
            version_id,
            service_id,
            content,
            content_sha,
            source_format,
            source_text,
            openapi_version,
        )

    async def lock(self, version_id: UUID) -> SpecRow | None:
        """The version's spec, locked until the transaction ends (so a replacement decides on what it sees)."""
        return await self.fetch_one(
            SpecRow, f"SELECT {_RETURNED} FROM spec WHERE tenant = $1 AND version = $2 FOR UPDATE", version_id
        )

    async def replace(
        self,
        *,
        version_id: UUID,
        content: str,
        content_sha: str,
        source_format: str,
        source_text: str,
        openapi_version: str,
    ) -> SpecRow:
        """A new document replaces the old one's self-verification too: that proved the old document only."""
        rows = await self.fetch(
            "UPDATE spec SET content = $3::jsonb, content_sha = $4, source_format = $5, source_text = $6, "
            "openapi_version = $7, updated_at = now(), verification_success = NULL, verifier = NULL, "
            "verifier_version = NULL, verification_content = NULL, verification_content_type = NULL, "
            f"verified_at = NULL WHERE tenant = $1 AND version = $2 RETURNING {_RETURNED}",
            version_id,
            content,
            content_sha,
            source_format,
            source_text,
            openapi_version,
        )
        return rows_as(SpecRow, rows)[0]

    async def lock_by_names(self, service: str, number: str) -> LockedSpecRow | None:
        """The version's spec (its version id and sha), locked until the transaction ends."""
        return await self.fetch_one(
            LockedSpecRow, f"SELECT sp.version, sp.content_sha {_BY_NAMES} FOR UPDATE OF sp", service, number
        )

    async def set_verification(
        self,
        version_id: UUID,
        *,
        success: bool,
        verifier: str,
        verifier_version: str | None,
        content: str | None,
        content_type: str | None,
    ) -> SpecRow:
        """Store the spec's self-verification, replacing the one it had."""
        rows = await self.fetch(
            "UPDATE spec SET verification_success = $3, verifier = $4, verifier_version = $5, "
            "verification_content = $6, verification_content_type = $7, verified_at = now() "
            f"WHERE tenant = $1 AND version = $2 RETURNING {_RETURNED}",
            version_id,
            success,
            verifier,
            verifier_version,
            content,
            content_type,
        )
        return rows_as(SpecRow, rows)[0]

    async def verification_report(self, service: str, number: str) -> VerificationReportRow | None:
        """The spec's sha and self-verification with its report; None when the version has no spec."""
        return await self.fetch_one(
            VerificationReportRow,
            f"SELECT sp.content_sha, {_QUALIFIED_VERIFICATION}, sp.verification_content {_BY_NAMES}",
            service,
            number,
        )

    async def document(self, service: str, number: str, *, original: bool) -> SpecDocumentRow | None:
        """The stored document of a version: its text as uploaded, or the parsed JSON as text."""
        return await self.fetch_one(
            SpecDocumentRow,
            "SELECT sp.source_format, CASE WHEN $4 THEN sp.source_text ELSE sp.content::text END AS content "
            "FROM spec sp "
            "JOIN service_version v ON v.id = sp.version AND v.tenant = $1 "
            "JOIN service s ON s.id = v.service AND s.tenant = $1 "
            "WHERE sp.tenant = $1 AND s.name = $2 AND v.number = $3",
            service,
            number,
            original,
        )

    async def list_page(
        self,
        *,
        service_id: UUID,
        limit: int,
        before: int | None,
        openapi_version: str | None,
        content_sha: str | None,
    ) -> list[SpecListRow]:
        """Versions of a service that have a spec, newest (by version creation order) first."""
        return await self.fetch_as(
            SpecListRow,
            "SELECT v.number AS version, v.position, sp.content_sha, sp.openapi_version, sp.source_format, "
            f"sp.created_at, sp.updated_at, {_QUALIFIED_VERIFICATION} "
            "FROM spec sp JOIN service_version v ON v.id = sp.version AND v.tenant = $1 "
            "WHERE sp.tenant = $1 AND sp.service = $2 AND ($3::bigint IS NULL OR v.position < $3) "
            "AND ($4::text IS NULL OR starts_with(sp.openapi_version, $4)) "
            "AND ($5::text IS NULL OR sp.content_sha = $5) "
            "ORDER BY v.position DESC LIMIT $6",
            service_id,
            before,
            openapi_version,
            content_sha,
            limit,
        )

    async def delete_by_names(self, service: str, number: str) -> bool:
        """Whether the version had a spec to delete."""
        rows = await self.fetch(
            "DELETE FROM spec sp USING service_version v, service s "
            "WHERE sp.tenant = $1 AND v.tenant = $1 AND s.tenant = $1 "
            "AND sp.version = v.id AND v.service = s.id AND s.name = $2 AND v.number = $3 RETURNING sp.id",
            service,
            number,
        )
        return bool(rows)

    async def latest_of_services(self, service_ids: list[UUID], known_shas: list[str]) -> list[LatestSpecRow]:
        """Per service that has a spec, the spec of its newest version that has one: its sha, and its content
        unless the caller already knows that sha (so a cached spec costs one small row, not the document).
        One statement whatever the number of services."""
        # LATERAL ... LIMIT 1 picks each service's row first, so only the chosen documents are serialized.
        return await self.fetch_as(
            LatestSpecRow,
            "SELECT s.id AS service, sp.content_sha, "
            "CASE WHEN sp.content_sha = ANY($3::text[]) THEN NULL ELSE sp.content::text END AS content "
            "FROM unnest($2::uuid[]) AS s(id) CROSS JOIN LATERAL ("
            "  SELECT sp.content_sha, sp.content FROM spec sp "
            "  JOIN service_version v ON v.id = sp.version AND v.tenant = $1 "
            "  WHERE sp.tenant = $1 AND sp.service = s.id ORDER BY v.position DESC LIMIT 1) AS sp",
            service_ids,
            known_shas,
        )
