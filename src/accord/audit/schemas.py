"""The audit log as the API shows it."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import msgspec


class AuditAction(StrEnum):
    insert = "insert"
    update = "update"
    delete = "delete"


class AuditEntry(msgspec.Struct, kw_only=True):
    """One statement's writes to one resource type: who, when, in which request, and what changed."""

    id: UUID
    at: datetime.datetime
    actor: str
    action: AuditAction
    resource: str
    resource_id: str | None
    request_id: str | None
    summary: dict[str, Any]


class AuditFilter(msgspec.Struct, kw_only=True, frozen=True):
    actor: str | None = None
    action: AuditAction | None = None
    resource: str | None = None
    resource_id: str | None = None
    request_id: str | None = None
    since: datetime.datetime | None = None
    until: datetime.datetime | None = None
