"""What the spec endpoints take and return; uploads are the OpenAPI document itself, not a Struct."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

import msgspec

from accord.specs.documents import SourceFormat

UploadOutcome = Literal["created", "replaced", "unchanged"]
DocumentFormat = Literal["json", "original"]

# Surrounding spaces are stripped, and a blank name refused, by self_verification.require_consistent.
Verifier = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
VerifierVersion = Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
MediaType = Annotated[str, msgspec.Meta(max_length=255, pattern=r"^[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*(\s*;.*)?$")]
# A report is kept for people to read next to the spec; 5 MiB of text is far beyond any real one.
Report = Annotated[str, msgspec.Meta(max_length=5 * 1024 * 1024)]
Sha = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]


class SelfVerificationCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The provider's own verification of its spec: the tool that checked the running provider against the
    document (Dredd, Schemathesis, RestAssured, ...), its outcome, and optionally its report.

    `spec_sha`, when given, must be the stored document's content_sha: it proves the result is about that
    document and not one replaced since the tool ran."""

    success: bool
    verifier: Verifier
    verifier_version: VerifierVersion | None = None
    content: Report | None = None
    content_type: MediaType | None = None
    spec_sha: Sha | None = None


class SelfVerification(msgspec.Struct, kw_only=True):
    """A spec's self-verification result, as shown beside the spec (the report itself is read separately)."""

    success: bool
    verifier: str
    verifier_version: str | None
    content_type: str | None
    has_report: bool
    verified_at: datetime.datetime


class SelfVerificationReport(msgspec.Struct, kw_only=True):
    """A spec's self-verification result with its report."""

    service: str
    version: str
    spec_sha: str
    success: bool
    verifier: str
    verifier_version: str | None
    content_type: str | None
    content: str | None
    verified_at: datetime.datetime


class SpecUpload(msgspec.Struct, kw_only=True):
    """A version's spec after an upload, and what the upload did to it."""

    service: str
    version: str
    content_sha: str
    openapi_version: str
    source_format: SourceFormat
    operations: int
    outcome: UploadOutcome
    self_verification: SelfVerification | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SpecSummary(msgspec.Struct, kw_only=True):
    """A version that has a spec, without the document."""

    version: str
    content_sha: str
    openapi_version: str
    source_format: SourceFormat
    self_verification: SelfVerification | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SpecDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A stored document ready to send as it is: its bytes and their media type."""

    media_type: str
    content: bytes
