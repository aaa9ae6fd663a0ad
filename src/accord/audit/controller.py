from __future__ import annotations

import datetime

from litestar import Controller, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery

from accord.audit.repository import AuditRepository
from accord.audit.schemas import AuditAction, AuditEntry, AuditFilter
from accord.audit.service import AuditService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenancy.principal import Scope
from accord.tenant_ids import TenantId


def provide_audit_service(tenant_id: NamedDependency[TenantId]) -> AuditService:
    return AuditService(AuditRepository(tenant_id))


class AuditController(Controller):
    """The tenant's audit log: every write to its data, whatever the path; reading it needs an admin key."""

    path = "/api/audit"
    tags = ["tenancy"]
    opt = {"scope": Scope.admin}
    dependencies = {"service": Provide(provide_audit_service, sync_to_thread=False)}

    @get("/", operation_id="ListAuditEntries", summary="Audit entries, newest first")
    async def list_entries(
        self,
        service: NamedDependency[AuditService],
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
        return await service.list(limit=limit, cursor=cursor, matching=matching)
