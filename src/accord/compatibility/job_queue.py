"""Claiming queued static checks across tenants.

This is the one other query of a tenant-owned table that isn't tenant-scoped (besides the API key store): the
workers serve every tenant's queue. A claimed job carries its tenant, and everything after the claim goes
through tenant-scoped repositories. tests/test_tenant_scoping.py allows this module by name.
"""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.db.engine import connection
from accord.db.rows import Row, records_as
from accord.tenant_ids import TenantId, tenant_of_queued_job

# A claim is a lease: a worker renews the claimed_at of the checks it holds every LEASE_RENEWAL (worker.py)
# while it works on them, so a check whose worker died (kill -9, a lost host) is taken up again after at most
# LEASE, and a slow check (a huge spec) is never run twice. A heartbeat rather than release-on-disconnect:
# it needs no connection held per worker, and works the same whether the process or only its network died.
LEASE = datetime.timedelta(seconds=30)
LEASE_RENEWAL = LEASE / 3
MAX_ATTEMPTS = 3


class ClaimedCheck(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    tenant: TenantId
    content_id: UUID
    spec_sha: str
    attempts: int


class ClaimedCheckRow(Row, frozen=True, kw_only=True):
    """A check as accord_claim_static_checks returns it."""

    id: UUID
    tenant: UUID
    content: UUID
    spec_sha: str
    attempts: int


async def claim(limit: int) -> list[ClaimedCheck]:
    """Take up to `limit` pending (or stale running) checks; SKIP LOCKED lets workers share the queue."""
    async with connection() as conn:
        # A SECURITY DEFINER function: row security shows a connection one tenant's rows only.
        rows = records_as(
            ClaimedCheckRow, await conn.fetch("SELECT * FROM accord_claim_static_checks($1, $2)", limit, LEASE)
        )
    return [
        ClaimedCheck(
            id=row.id,
            tenant=tenant_of_queued_job(row.tenant),
            content_id=row.content,
            spec_sha=row.spec_sha,
            attempts=row.attempts,
        )
        for row in rows
    ]


async def renew(ids: list[UUID]) -> None:
    """Extend the lease on checks this worker still holds."""
    async with connection() as conn:
        await conn.execute("SELECT accord_renew_static_checks($1::uuid[])", ids)
