"""Provider specs: the OpenAPI document of a service version, uploaded by CI, read by people and by the
interactions slice (to name the operation each recorded request calls)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple
from uuid import UUID

import anyio
import msgspec

from accord.catalog.schemas import ServiceName, VersionNumber, VersionRef
from accord.catalog.service import ServiceCatalog, VersionMention
from accord.db.engine import get_engine
from accord.errors import Conflict, FieldError, InvalidInput, NotFound
from accord.http.pagination import Page, decode_cursor, page_of
from accord.specs.documents import ParsedDocument, SourceFormat, parse_document
from accord.specs.media_types import MEDIA_TYPE_OF_FORMAT
from accord.specs.operations import OPERATION_INDEXES, OperationIndex
from accord.specs.repository import SpecListRow, SpecRepository, SpecRow
from accord.specs.schemas import (
    DocumentFormat,
    SelfVerificationCreate,
    SelfVerificationReport,
    SpecDocument,
    SpecSummary,
    SpecUpload,
    UploadOutcome,
)
from accord.specs.self_verification import require_consistent, self_verification_of
from accord.specs.validation import validate_openapi
from accord.tenant_ids import TenantId


class _CheckedSpec(NamedTuple):
    parsed: ParsedDocument
    openapi_version: str
    operations: OperationIndex


def _check(raw: bytes, source_format: SourceFormat) -> _CheckedSpec:
    parsed = parse_document(raw, source_format)
    openapi_version = validate_openapi(parsed.document)
    return _CheckedSpec(parsed, openapi_version, OperationIndex.from_document(parsed.document))


def _summary(row: SpecListRow) -> SpecSummary:
    return SpecSummary(
        version=row.version,
        content_sha=row.content_sha,
        openapi_version=row.openapi_version,
        source_format=row.source_format,
        self_verification=self_verification_of(row),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SpecService:
    """Upload (auto-creating service and version), read, list and delete specs; resolve operations."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog) -> None:
        """Built by accord.composition, which hands in the catalog."""
        self.specs = SpecRepository(tenant)
        self.catalog = catalog

    async def upload(
        self,
        service: str,
        number: str,
        raw: bytes,
        source_format: SourceFormat,
        *,
        replace: bool,
        verification: SelfVerificationCreate | None = None,
    ) -> SpecUpload:
        """Identical content is a no-op; other content for a version that has a spec needs `replace`.

        A self-verification given with the upload is stored with the document (replacing the one it had); a
        replaced document loses the old document's self-verification."""
        if verification is not None:
            require_consistent(verification)
        _require_valid_names(service, number)  # they may create the service and version
        # Parsing and validating a large document takes CPU seconds: keep them off the event loop.
        checked = await anyio.to_thread.run_sync(_check, raw, source_format)
        parsed = checked.parsed
        values = {
            "content": parsed.canonical.decode(),
            "content_sha": parsed.content_sha,
            "source_format": parsed.source_format,
            "source_text": parsed.source_text,
            "openapi_version": checked.openapi_version,
        }
        async with get_engine().transaction():
            ref = await self.catalog.ensure_version(VersionMention(service=service, number=number))
            outcome, row = await self._store(ref, values, replace=replace)
            if verification is not None:
                _require_same_document(verification, row.content_sha, ref.service, ref.number)
                row = await self.specs.set_verification(ref.version_id, **_verification_values(verification))
        OPERATION_INDEXES.put(parsed.content_sha, checked.operations)  # the interactions that follow will need it
        return SpecUpload(
            service=service,
            version=number,
            content_sha=row.content_sha,
            openapi_version=row.openapi_version,
            source_format=row.source_format,
            operations=checked.operations.operation_count,
            outcome=outcome,
            self_verification=self_verification_of(row),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    async def publish_verification(
        self, service: str, number: str, data: SelfVerificationCreate
    ) -> SelfVerificationReport:
        """Store (replacing any earlier one) the self-verification of a version's existing spec."""
        require_consistent(data)
        async with get_engine().transaction():
            spec = await self.specs.lock_by_names(service, number)
            if spec is None:
                raise NotFound(f"{service} {number} has no spec.")
            _require_same_document(data, spec.content_sha, service, number)
            await self.specs.set_verification(spec.version, **_verification_values(data))
        return await self.verification(service, number)

    async def verification(self, service: str, number: str) -> SelfVerificationReport:
        """The self-verification of a version's spec, with its report."""
        row = await self.specs.verification_report(service, number)
        if row is None:
            raise NotFound(f"{service} {number} has no spec.")
        # set_verification writes the verifier and the time with the verdict: all three or none.
        if row.verification_success is None or row.verifier is None or row.verified_at is None:
            raise NotFound(f"The spec of {service} {number} has no self-verification result.")
        return SelfVerificationReport(
            service=service,
            version=number,
            spec_sha=row.content_sha,
            success=row.verification_success,
            verifier=row.verifier,
            verifier_version=row.verifier_version,
            content_type=row.verification_content_type,
            content=row.verification_content,
            verified_at=row.verified_at,
        )

    async def _store(self, ref: VersionRef, values: dict[str, str], *, replace: bool) -> tuple[UploadOutcome, SpecRow]:
        created = await self.specs.insert_if_absent(service_id=ref.service_id, version_id=ref.version_id, **values)
        if created is not None:
            return "created", created
        # Another upload got there first (maybe just now: the insert waited for it to commit).
        existing = await self.specs.lock(ref.version_id)
        if existing is None:  # and a delete went by since
            raise Conflict(f"The spec of {ref.service} {ref.number} changed during the upload; retry it.")
        if existing.content_sha == values["content_sha"]:
            return "unchanged", existing
        if not replace:
            raise Conflict(
                f"{ref.service} {ref.number} already has a different spec (sha {existing.content_sha}); "
                "upload with ?replace=true to replace it."
            )
        return "replaced", await self.specs.replace(version_id=ref.version_id, **values)

    async def document(self, service: str, number: str, document_format: DocumentFormat) -> SpecDocument:
        """The stored document: parsed, as JSON, or (`original`) byte for byte as uploaded."""
        original = document_format == "original"
        row = await self.specs.document(service, number, original=original)
        if row is None:
            raise NotFound(f"{service} {number} has no spec.")
        media_type = MEDIA_TYPE_OF_FORMAT[row.source_format] if original else "application/json"
        return SpecDocument(media_type=media_type, content=row.content.encode())

    async def list_specs(
        self,
        service: str,
        *,
        limit: int,
        cursor: str | None,
        openapi_version: str | None,
        content_sha: str | None,
    ) -> Page[SpecSummary]:
        service_id = await self.catalog.service_id(service)
        before = decode_cursor(cursor, int)
        rows = await self.specs.list_page(
            service_id=service_id,
            limit=limit + 1,
            before=before[0] if before else None,
            openapi_version=openapi_version,
            content_sha=content_sha,
        )
        # The cursor is the version's position, which the summary does not show; a service's versions are unique.
        positions = {row.version: row.position for row in rows}
        return page_of(rows, limit, _summary, lambda summary: (positions[summary.version],))

    async def delete(self, service: str, number: str) -> None:
        if not await self.specs.delete_by_names(service, number):
            raise NotFound(f"{service} {number} has no spec.")

    async def latest_operation_index(self, provider_id: UUID) -> OperationIndex | None:
        """The OperationIndex of the spec of the provider's newest version that has one; one query."""
        indexes = await self.latest_operation_indexes([provider_id])
        return next(iter(indexes.values()), None)

    async def latest_operation_indexes(self, provider_ids: Iterable[UUID]) -> dict[UUID, OperationIndex]:
        """latest_operation_index of each provider, in one query; providers without a spec are absent.

        Indexes are cached by content: the query leaves out the documents whose sha is cached already.
        """
        wanted = sorted(set(provider_ids))
        if not wanted:
            return {}
        known = OPERATION_INDEXES.snapshot()
        indexes: dict[UUID, OperationIndex] = {}
        for row in await self.specs.latest_of_services(wanted, list(known)):
            sha = row.content_sha
            index = known.get(sha)
            if index is not None:
                OPERATION_INDEXES.get(sha)  # mark it recently used
            else:
                # Two providers may share a document: build its index once. The query leaves a document out
                # only when its sha is in `known`, so it is here.
                assert row.content is not None
                index = OPERATION_INDEXES.get(sha) or OperationIndex.from_document(_json_object(row.content))
                OPERATION_INDEXES.put(sha, index)
            indexes[row.service] = index
        return indexes


def _require_valid_names(service: str, number: str) -> None:
    for value, kind, parameter in ((service, ServiceName, "path.name"), (number, VersionNumber, "path.number")):
        try:
            msgspec.convert(value, kind)
        except msgspec.ValidationError as exc:
            raise InvalidInput(
                f"{parameter.split('.')[1]} is not valid: {exc}",
                errors=[FieldError(detail=str(exc), parameter=parameter)],
            ) from None


def _require_same_document(data: SelfVerificationCreate, content_sha: str, service: str, number: str) -> None:
    if data.spec_sha is not None and data.spec_sha != content_sha:
        raise Conflict(
            f"The self-verification is of spec {data.spec_sha}, but {service} {number}'s spec is {content_sha}; "
            "verify the current spec and publish that result."
        )


def _verification_values(data: SelfVerificationCreate) -> dict[str, Any]:
    return {
        "success": data.success,
        "verifier": data.verifier,
        "verifier_version": data.verifier_version,
        "content": data.content,
        "content_type": data.content_type,
    }


def _json_object(text: str) -> dict[str, Any]:
    return msgspec.json.decode(text, type=dict[str, Any])
