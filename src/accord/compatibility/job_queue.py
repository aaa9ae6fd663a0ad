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
from accord.tenancy.ids import TenantId, tenant_of_queued_job

# A check whose worker died (kill -9, deploy) is retried after this long; checks take milliseconds.
_STALE_AFTER = datetime.timedelta(minutes=5)
MAX_ATTEMPTS = 3


class ClaimedCheck(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    tenant: TenantId
    content_id: UUID
    spec_sha: str
    attempts: int


async def claim(limit: int) -> list[ClaimedCheck]:
    """Take up to `limit` pending (or stale running) checks; SKIP LOCKED lets workers share the queue."""
    async with connection() as conn:
        rows = await conn.fetch(
            "UPDATE static_check sc SET status = 'running', claimed_at = now(), attempts = sc.attempts + 1 "
            "WHERE sc.id IN (SELECT id FROM static_check "
            "  WHERE status = 'pending' OR (status = 'running' AND claimed_at < now() - $2::interval) "
            "  ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED) "
            "RETURNING sc.id, sc.tenant, sc.content, sc.spec_sha, sc.attempts",
            limit,
            _STALE_AFTER,
        )
    return [
        ClaimedCheck(
            id=row["id"],
            tenant=tenant_of_queued_job(row["tenant"]),
            content_id=row["content"],
            spec_sha=row["spec_sha"],
            attempts=row["attempts"],
        )
        for row in rows
    ]
