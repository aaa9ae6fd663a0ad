from __future__ import annotations

import datetime
from typing import Any, Literal
from uuid import UUID

import msgspec

CheckStatus = Literal["pending", "running", "passed", "failed", "error"]


class CheckSummary(msgspec.Struct, kw_only=True):
    passed: int
    failed: int
    not_checkable: int


class StaticCheckView(msgspec.Struct, kw_only=True):
    """A contract content checked against a provider spec content (computed once per pair)."""

    id: UUID
    consumer: str
    provider: str
    contract_sha: str
    spec_sha: str
    status: CheckStatus
    summary: CheckSummary | None
    error: str | None
    created_at: datetime.datetime
    checked_at: datetime.datetime | None
    results: list[Any] | None = None
