from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, Url, VersionNumber

Sha = Annotated[str, msgspec.Meta(pattern=r"^[0-9a-f]{64}$")]
SelectionReason = Literal["deployed", "released", "main-branch"]
# How tasks carry their interactions: "inline" (the first form, kept for existing clients) or "link" (only
# content_url: a response whose size does not grow with the contracts').
InteractionsForm = Literal["inline", "link"]


class SelectedVersion(msgspec.Struct, kw_only=True):
    """Why a consumer version's contract is in the task list."""

    number: str
    reason: SelectionReason
    environment: str | None = None


class VerificationSummary(msgspec.Struct, kw_only=True):
    id: UUID
    success: bool
    provider_version: str
    verified_at: datetime.datetime
    build_url: str | None = None


class VerificationTask(msgspec.Struct, kw_only=True):
    """One distinct contract content the provider must verify, and every consumer version expecting it."""

    consumer: str
    content_id: UUID
    sha: str
    kind: str
    consumer_versions: list[SelectedVersion]
    # Inline unless the client asked `interactions=link`; then empty, and content_url serves them.
    interactions: list[Any]
    verification: VerificationSummary | None
    # GET this for the contract's content (its interactions): the compact form's link, present in both forms.
    content_url: str = ""


class VerificationTasks(msgspec.Struct, kw_only=True):
    provider: str
    provider_version: str | None
    environment: str | None
    tasks: list[VerificationTask]


class InteractionOutcome(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    interaction: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    success: bool
    mismatches: Annotated[list[Any], msgspec.Meta(max_length=10_000)] = []


class ContractRef(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    consumer: ServiceName
    sha: Sha


class VerificationResultCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    provider_version: VersionNumber
    provider_branch: BranchName | None = None
    contract: ContractRef
    success: bool
    results: Annotated[list[InteractionOutcome], msgspec.Meta(max_length=10_000)] = []
    verified_by: dict[str, Any] | None = None
    build_url: Url | None = None


class VerificationResult(msgspec.Struct, kw_only=True):
    id: UUID
    provider: str
    provider_version: str
    consumer: str
    sha: str
    success: bool
    results: list[InteractionOutcome]
    verified_by: dict[str, Any] | None
    build_url: str | None
    created_at: datetime.datetime
