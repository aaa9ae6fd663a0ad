"""Finding every tenant's contracts that are ready to derive, for the background settler.

Like compatibility/job_queue.py, this is a query of a tenant-owned table that isn't tenant-scoped: the settler
serves every tenant. It only names tenants; the derivation then goes through tenant-scoped repositories.
tests/test_tenant_scoping.py allows this module by name.
"""

from __future__ import annotations

import datetime

from accord.db.engine import connection
from accord.tenant_ids import TenantId, tenant_of_queued_job


async def tenants_with_quiet_contracts(
    quiet_for: datetime.timedelta, at_most_after: datetime.timedelta, limit: int
) -> list[TenantId]:
    """Tenants with a pending contract no batch marked for `quiet_for` (or first marked `at_most_after` ago)."""
    async with connection() as conn:
        # A SECURITY DEFINER function: row security shows a connection one tenant's rows only.
        rows = await conn.fetch(
            "SELECT tenant FROM accord_tenants_with_quiet_contracts($1, $2, $3) AS tenant",
            quiet_for,
            at_most_after,
            limit,
        )
    return [tenant_of_queued_job(row["tenant"]) for row in rows]
