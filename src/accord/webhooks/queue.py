"""Fanning events out to webhooks and claiming deliveries, across tenants.

Like compatibility/job_queue.py, this is one of the few queries of tenant-owned tables that isn't scoped to a
tenant: the workers serve every tenant's queue. Each row carries its tenant; everything after the claim goes
through tenant-scoped repositories. tests/test_tenant_scoping.py allows this module by name.

Fan-out happens here, in the worker, not in the publishing transaction: publishing writes the event row alone
(one INSERT in a trigger), so its cost doesn't grow with the number of webhooks (BENCHMARKS.md has the figure),
and the event, committed with the change, is the durable promise that the deliveries will be queued.
"""

from __future__ import annotations

import datetime
from uuid import UUID

import msgspec

from accord.catalog.main_branch import main_branch_sql
from accord.db.engine import connection
from accord.db.row_security import set_transaction_tenant
from accord.db.rows import Row, records_as
from accord.tenant_ids import TenantId, tenant_of_queued_job
from accord.webhooks.events import PER_PROVIDER_VERSION
from accord.webhooks.repository import LABELS_MATCH

# A webhook hears the events after its creation only, whenever the fan-out runs (it may run after the webhook
# was created for an event committed before).
_MATCHING_WEBHOOK = (
    "JOIN webhook w ON w.tenant = e.tenant AND w.enabled AND w.events ? e.name AND w.created_at <= e.created_at "
    "AND (w.consumer IS NULL OR w.consumer = e.consumer) AND (w.provider IS NULL OR w.provider = e.provider) "
    f"{LABELS_MATCH} "
)

# The broker's contract_requiring_verification_published: one delivery per provider version that must verify
# the content (the head of the provider's main branch, its deployed and its released versions) and hasn't.
_FAN_OUT = (
    "INSERT INTO webhook_delivery (tenant, webhook, event, provider_version, next_attempt_at) "  # noqa: S608 - only constants are interpolated
    "SELECT e.tenant, w.id, e.id, NULL, now() "
    f"FROM event e {_MATCHING_WEBHOOK} WHERE e.id = ANY($1::uuid[]) AND e.name <> $2 "
    "UNION ALL "
    "SELECT e.tenant, w.id, e.id, required.version, now() "
    f"FROM event e {_MATCHING_WEBHOOK} CROSS JOIN LATERAL ("
    "  SELECT DISTINCT candidate.version FROM ("
    "    SELECT (SELECT bv.version FROM branch b JOIN branch_version bv ON bv.tenant = e.tenant AND bv.branch = b.id "
    f"     WHERE b.tenant = e.tenant AND b.service = s.id AND b.name = {main_branch_sql('s')} "
    "      ORDER BY bv.position DESC LIMIT 1) AS version "
    "    FROM service s WHERE s.tenant = e.tenant AND s.id = e.provider "
    "    UNION SELECT d.version FROM deployment d "
    "      WHERE d.tenant = e.tenant AND d.service = e.provider AND d.currently_deployed "
    "    UNION SELECT r.version FROM release r "
    "      WHERE r.tenant = e.tenant AND r.service = e.provider AND r.currently_supported"
    "  ) AS candidate WHERE candidate.version IS NOT NULL AND NOT EXISTS ("
    "    SELECT 1 FROM verification_result vr WHERE vr.tenant = e.tenant "
    "    AND vr.content = (e.subject->>'content')::uuid AND vr.provider_version = candidate.version)"
    ") AS required WHERE e.id = ANY($1::uuid[]) AND e.name = $2"
)


class ClaimedDelivery(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    tenant: TenantId
    webhook: UUID
    event: UUID
    provider_version: UUID | None
    attempt: int


class ClaimedDeliveryRow(Row, frozen=True, kw_only=True):
    """A delivery as accord_claim_webhook_deliveries returns it."""

    id: UUID
    tenant: UUID
    webhook: UUID
    event: UUID
    provider_version: UUID | None
    attempts: int


async def fan_out(limit: int) -> int:
    """Queue the deliveries of up to `limit` events not yet fanned out; how many events were taken."""
    async with connection() as conn, conn.transaction():
        # Claimed (and locked in this transaction) by a SECURITY DEFINER function; then each tenant's events
        # fan out under that tenant's row security setting.
        rows = await conn.fetch("SELECT id, tenant FROM accord_claim_unfanned_events($1)", limit)
        by_tenant: dict[UUID, list[UUID]] = {}
        for row in rows:
            by_tenant.setdefault(row["tenant"], []).append(row["id"])
        for tenant, ids in by_tenant.items():
            await set_transaction_tenant(conn, tenant_of_queued_job(tenant))
            await conn.execute(_FAN_OUT, ids, PER_PROVIDER_VERSION)
            await conn.execute("UPDATE event SET fanned_out = true WHERE id = ANY($1::uuid[])", ids)
    return len(rows)


async def claim(limit: int, lease: datetime.timedelta) -> list[ClaimedDelivery]:
    """Take up to `limit` due deliveries (or attempts whose worker died); SKIP LOCKED shares the queue."""
    async with connection() as conn:
        rows = records_as(
            ClaimedDeliveryRow, await conn.fetch("SELECT * FROM accord_claim_webhook_deliveries($1, $2)", limit, lease)
        )
    return [
        ClaimedDelivery(
            id=row.id,
            tenant=tenant_of_queued_job(row.tenant),
            webhook=row.webhook,
            event=row.event,
            provider_version=row.provider_version,
            attempt=row.attempts,
        )
        for row in rows
    ]


async def seconds_until_due(lease: datetime.timedelta) -> float | None:
    """When the next retry (or lease expiry) is due, so the worker wakes for it rather than at the next poll."""
    async with connection() as conn:
        due = await conn.fetchval("SELECT accord_webhook_due_in($1)", lease)
    return None if due is None else max(due.total_seconds(), 0.0)
