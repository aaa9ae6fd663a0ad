"""The identity of the tenant a request or command acts for."""

from typing import NewType
from uuid import UUID

# A tenant id verified for the current credentials. Only the tenancy package mints these: the key resolver
# (for API requests), the session store (for pages: the session's selected membership), the invitation store
# (the tenant of a presented invitation link), the badge token store (public badges only),
# TenantService.resolve_slug (for operator commands that name a tenant) and tenant_of_queued_job (for
# background work a tenant's own request queued).
TenantId = NewType("TenantId", UUID)


def tenant_of_queued_job(owner: UUID) -> TenantId:
    """The tenant of a job row: the row was written, tenant included, by that tenant's request."""
    return TenantId(owner)
