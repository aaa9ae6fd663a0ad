from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, VersionNumber
from accord.environments.schemas import EnvironmentName
from accord.errors import FieldError
from accord.exchanges.schemas import ExchangeRequest, ExchangeResponse

MAX_BATCH_ITEMS = 5000

HttpMethod = Annotated[str, msgspec.Meta(min_length=1, max_length=20, pattern=r"^[A-Za-z][A-Za-z_-]*$")]
# Starts with '/'; no NUL, which PostgreSQL text can't hold.
RequestPath = Annotated[str, msgspec.Meta(min_length=1, max_length=2048, pattern=r"^/[^\x00]*$")]
HttpStatus = Annotated[int, msgspec.Meta(ge=100, le=599)]
OperationName = Annotated[str, msgspec.Meta(min_length=1, max_length=512, pattern=r"^[^\x00-\x1f]+$")]
AwareDatetime = Annotated[datetime.datetime, msgspec.Meta(tz=True)]
DurationMs = Annotated[int, msgspec.Meta(ge=0, le=2_147_483_647)]


# The exchange model (accord.exchanges.schemas) with what a recording may hold.
class HttpRequest(ExchangeRequest, kw_only=True, forbid_unknown_fields=True):
    method: HttpMethod
    path: RequestPath


class HttpResponse(ExchangeResponse, kw_only=True, forbid_unknown_fields=True):
    status: HttpStatus


class InteractionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One recorded request/response of a consumer version calling a provider."""

    consumer: ServiceName
    consumer_version: VersionNumber
    consumer_branch: BranchName | None = None
    provider: ServiceName
    operation: OperationName | None = None
    request: HttpRequest
    response: HttpResponse
    # Named as deployments name it: the upload creates the environment (see InteractionService.store).
    environment: EnvironmentName | None = None
    recorded_at: AwareDatetime | None = None
    duration_ms: DurationMs | None = None
    client_info: dict[str, Any] | None = None


class InteractionBatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Items are validated one by one (see InteractionCreate), so one bad item doesn't reject the others."""

    items: Annotated[list[Any], msgspec.Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]


RecordStatus = Literal["recorded", "duplicate"]


class NearDuplicate(msgspec.Struct, kw_only=True):
    """An interaction already stored whose request is nearly the same (cosine similarity of the vectors)."""

    id: UUID
    score: float


class RecordedInteraction(msgspec.Struct, kw_only=True, omit_defaults=True):
    id: UUID
    status: RecordStatus
    # Reported (left out when there are none), never dropped: a near-duplicate is still a recording of its own.
    near_duplicates: list[NearDuplicate] = []


class BatchItemResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    index: int
    status: Literal["recorded", "duplicate", "error"]
    id: UUID | None = None
    error: FieldError | None = None
    # As on a single recording: stored interactions nearly the same as this one (left out when there are none).
    near_duplicates: list[NearDuplicate] = []


class BatchResult(msgspec.Struct, kw_only=True):
    recorded: int
    duplicates: int
    errors: int
    results: list[BatchItemResult]


class Interaction(msgspec.Struct, kw_only=True):
    id: UUID
    consumer: str
    consumer_version: str
    provider: str
    operation: str
    request: dict[str, Any]
    response: dict[str, Any]
    environment: str | None
    recorded_at: datetime.datetime
    duration_ms: int | None
    client_info: dict[str, Any] | None
    hash: str
    content_hash: str
    created_at: datetime.datetime


class InteractionFilters(msgspec.Struct, frozen=True, kw_only=True):
    provider: str | None = None
    consumer: str | None = None
    consumer_version: str | None = None
    operation: str | None = None
    environment: str | None = None
    recorded_from: datetime.datetime | None = None
    recorded_to: datetime.datetime | None = None
