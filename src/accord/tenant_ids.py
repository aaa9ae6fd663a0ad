"""The identity of the tenant a request or command acts for.

A foundation of its own, below the database layer: `TenantRepository` takes one, and so does nearly every
service, while what mints them (tenancy) stands on the database.
"""

from typing import NewType
from uuid import UUID

# A tenant id verified for the current credentials. Only these mint them: the tenancy package's key resolver
# (for API requests), session store (for pages: the session's selected membership), invitation store (the
# tenant of a presented invitation link) and badge token store (public badges only);
# TenantService.resolve_slug (for operator commands that name a tenant) and tenant_of_queued_job (for
# background work a tenant's own request queued).
TenantId = NewType("TenantId", UUID)


def tenant_of_queued_job(owner: UUID) -> TenantId:
    """The tenant of a job row: the row was written, tenant included, by that tenant's request."""
    return TenantId(owner)
