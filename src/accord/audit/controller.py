from __future__ import annotations

import datetime

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromQuery

from accord.audit.schemas import AuditAction, AuditEntry, AuditFilter
from accord.audit.service import AuditService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenancy.principal import Scope


class AuditController(Controller):
    """The tenant's audit log: every write to its data, whatever the path; reading it needs an admin key."""

    path = "/api/audit"
    tags = ["tenancy"]
    opt = {"scope": Scope.admin}

    @get("/", operation_id="ListAuditEntries", summary="Audit entries, newest first")
    async def list_entries(
        self,
        audit_service: NamedDependency[AuditService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        actor: FromQuery[str | None] = None,
        action: FromQuery[AuditAction | None] = None,
        resource: FromQuery[str | None] = None,
        resource_id: FromQuery[str | None] = None,
        request_id: FromQuery[str | None] = None,
        since: FromQuery[datetime.datetime | None] = None,
        until: FromQuery[datetime.datetime | None] = None,
    ) -> Page[AuditEntry]:
        matching = AuditFilter(
            actor=actor,
            action=action,
            resource=resource,
            resource_id=resource_id,
            request_id=request_id,
            since=since,
            until=until,
        )
        return await audit_service.list(limit=limit, cursor=cursor, matching=matching)
