from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

import msgspec

RowStatus = Literal["verified", "failed", "unverified", "provider-absent"]


class RowVerification(msgspec.Struct, kw_only=True):
    id: UUID
    success: bool
    verified_at: datetime.datetime


class RowStaticCheck(msgspec.Struct, kw_only=True):
    """The contract checked against the provider version's OpenAPI spec (GET /api/static-checks/{id})."""

    id: UUID
    passed: bool
    mismatches: list[str]
    # The provider's own verification of that spec (None: none published). A passed check counts only with a
    # passed self-verification.
    spec_self_verified: bool | None = None


class CanIDeployRow(msgspec.Struct, kw_only=True):
    """One integration the answer depends on, explaining itself."""

    role: Literal["consumer", "provider"]
    consumer: str
    consumer_version: str
    provider: str
    provider_version: str | None
    contract_sha: str
    status: RowStatus
    verification: RowVerification | None
    verified_by: Literal["verification", "static-check"] | None = None
    static_check: RowStaticCheck | None = None


class CanIDeploySummary(msgspec.Struct, kw_only=True):
    success: int
    failed: int
    unknown: int


class CanIDeploy(msgspec.Struct, kw_only=True):
    service: str
    version: str
    environment: str
    deployable: bool | None
    reason: str
    summary: CanIDeploySummary
    rows: list[CanIDeployRow]


class MatrixRow(msgspec.Struct, kw_only=True):
    consumer_version: str
    provider_version: str | None
    contract_sha: str
    success: bool | None
    verified_at: datetime.datetime | None


class Integration(msgspec.Struct, kw_only=True):
    """Where a consumer <-> provider pair stands: its newest contract and that contract's newest verdict."""

    consumer: str
    provider: str
    latest_consumer_version: str
    contract_sha: str
    status: Literal["verified", "failed", "unverified"]
    provider_version: str | None
    verified_at: datetime.datetime | None


class HistoryEvent(msgspec.Struct, kw_only=True):
    at: datetime.datetime
    kind: Literal[
        "version-created", "deployed", "undeployed", "released", "support-ended", "contract-published", "verified"
    ]
    version: str
    detail: str
    id: UUID


class TenantCounts(msgspec.Struct, kw_only=True):
    services: int
    versions: int
    environments: int
    interactions: int
    contracts: int
    verifications: int
    failed_verifications: int
    current_deployments: int
    fixtures_approved: int
