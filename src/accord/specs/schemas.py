"""What the spec endpoints return; uploads are the OpenAPI document itself, not a Struct."""

from __future__ import annotations

import datetime
from typing import Literal

import msgspec

from accord.specs.documents import SourceFormat

UploadOutcome = Literal["created", "replaced", "unchanged"]
DocumentFormat = Literal["json", "original"]


class SpecUpload(msgspec.Struct, kw_only=True):
    """A version's spec after an upload, and what the upload did to it."""

    service: str
    version: str
    content_sha: str
    openapi_version: str
    source_format: SourceFormat
    operations: int
    outcome: UploadOutcome
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SpecSummary(msgspec.Struct, kw_only=True):
    """A version that has a spec, without the document."""

    version: str
    content_sha: str
    openapi_version: str
    source_format: SourceFormat
    created_at: datetime.datetime
    updated_at: datetime.datetime


class SpecDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A stored document ready to send as it is: its bytes and their media type."""

    media_type: str
    content: bytes
