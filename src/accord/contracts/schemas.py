from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, TagName, VersionNumber
from accord.environments.schemas import EnvironmentName
from accord.interactions.schemas import (
    MAX_BATCH_ITEMS,
    AwareDatetime,
    DurationMs,
    HttpRequest,
    HttpResponse,
    OperationName,
)


class ContractSummary(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    provider: str
    sha: str
    kind: str
    interaction_count: int
    updated_at: datetime.datetime


class Contract(msgspec.Struct, kw_only=True):
    """A consumer version's contract with a provider; `interactions` come from its content document."""

    consumer: str
    consumer_version: str
    provider: str
    sha: str
    kind: str
    interaction_count: int
    updated_at: datetime.datetime
    interactions: list[dict[str, Any]]


class ContractContentDocument(msgspec.Struct, kw_only=True):
    id: UUID
    consumer: str
    provider: str
    sha: str
    kind: str
    interaction_count: int
    created_at: datetime.datetime
    content: dict[str, Any]


class PublishedContent(msgspec.Struct, frozen=True, kw_only=True):
    """Which content a consumer version expects of a provider, for slices that verify or compare contracts."""

    consumer_id: UUID
    consumer_version_id: UUID
    provider_id: UUID
    content_id: UUID
    sha: str
    kind: str
    interaction_count: int


class ContractInteraction(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One interaction of a published contract; the consumer, its version and the provider are the contract's."""

    operation: OperationName | None = None
    request: HttpRequest
    response: HttpResponse
    environment: EnvironmentName | None = None
    recorded_at: AwareDatetime | None = None
    duration_ms: DurationMs | None = None
    client_info: dict[str, Any] | None = None


class ContractPublish(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    consumer: ServiceName
    consumer_version: VersionNumber
    consumer_branch: BranchName | None = None
    tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []
    provider: ServiceName
    interactions: Annotated[list[ContractInteraction], msgspec.Meta(min_length=1, max_length=MAX_BATCH_ITEMS)]


class ContractHead(msgspec.Struct, frozen=True, kw_only=True):
    """A publication as the Pact API lists it: which content a consumer version publishes for a provider, and when."""

    consumer: str
    provider: str
    consumer_version: str
    sha: str
    position: int
    created_at: datetime.datetime


class ContractDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A publication's content with its document (JSON text); `consumer_version` is None for a content no
    consumer version publishes any more (read by sha)."""

    consumer: str
    provider: str
    consumer_version: str | None
    sha: str
    kind: str
    content: str
    created_at: datetime.datetime


PublishStatus = Literal["created", "unchanged", "replaced"]


class PublishedContract(msgspec.Struct, kw_only=True):
    consumer: str
    consumer_version: str
    provider: str
    sha: str
    interaction_count: int
    status: PublishStatus


# An integration's webhook status (the Pact Broker's words), from its webhooks and their newest delivery.
WebhookStatus = Literal["none", "not_run", "retrying", "success", "failure"]


class Integration(msgspec.Struct, kw_only=True, frozen=True):
    """A consumer-provider pair's newest contract (by consumer version order) and that contract's newest
    verification result, with the versions' branches and tags and the pair's webhook activity."""

    consumer: str
    provider: str
    consumer_version: str
    consumer_version_branches: list[str]
    consumer_version_tags: list[str]
    sha: str
    pact_created_at: datetime.datetime
    success: bool | None
    verified_at: datetime.datetime | None
    provider_version: str | None
    provider_version_branches: list[str]
    provider_version_tags: list[str]
    provider_latest_tags: list[str]
    webhook_at: datetime.datetime | None
    webhook_status: WebhookStatus


class IntegrationRow(msgspec.Struct, kw_only=True, frozen=True):
    """An integration as read, before its webhook status is decided."""

    consumer: str
    provider: str
    consumer_version: str
    consumer_version_branches: list[str]
    consumer_version_tags: list[str]
    sha: str
    pact_created_at: datetime.datetime
    success: bool | None
    verified_at: datetime.datetime | None
    provider_version: str | None
    provider_version_branches: list[str]
    provider_version_tags: list[str]
    provider_latest_tags: list[str]
    webhook_at: datetime.datetime | None
    webhook_success: bool | None
    delivery_status: str | None
    has_webhooks: bool
