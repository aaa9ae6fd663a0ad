"""RetentionService: applies the keep rules to every tenant, one transaction per tenant."""

from __future__ import annotations

import datetime
import logging

from accord.catalog.version_repository import VersionRepository
from accord.contracts.repository import ContractRepository
from accord.db.engine import get_engine
from accord.idempotency.repository import IdempotencyRepository
from accord.interactions.vector_repository import RequestVectorRepository
from accord.retention.lock import clean_lock
from accord.retention.repository import RetentionRepository
from accord.retention.schemas import CleanReport, KeepRules, RemovedCounts, TenantClean
from accord.tenant_ids import TenantId
from accord.tenants.service import TenantService
from accord.webhooks.history_repository import ExpiredHistory, WebhookHistoryRepository

logger = logging.getLogger(__name__)


class CleanAlreadyRunning(Exception):
    """Another process holds the clean lock (only raised when not waiting for it)."""


class RetentionService:
    def __init__(self, rules: KeepRules) -> None:
        self.rules = rules

    def _cutoff(self) -> datetime.datetime:
        return datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=self.rules.younger_than_days)

    async def clean_tenant(self, tenant: TenantId, *, dry_run: bool) -> RemovedCounts:
        """Remove (or, dry, count) what the rules do not keep of one tenant, all of it or nothing."""
        repository = RetentionRepository(tenant)
        versions, contracts, vectors = (
            VersionRepository(tenant),
            ContractRepository(tenant),
            RequestVectorRepository(tenant),
        )
        idempotency_keys = IdempotencyRepository(tenant)
        webhook_history = WebhookHistoryRepository(tenant)
        cutoff = self._cutoff()
        now = datetime.datetime.now(datetime.UTC)
        keys_expired_before = now - datetime.timedelta(hours=self.rules.idempotency_key_hours)
        history_expired_before = now - datetime.timedelta(days=self.rules.webhook_history_days)
        if dry_run:
            counts = await repository.counts(await repository.plan(self.rules.latest_per_branch, cutoff))
            counts.idempotency_keys = await idempotency_keys.count_expired(keys_expired_before)
            _add_history(counts, await webhook_history.count_expired(history_expired_before))
            return counts
        async with get_engine().transaction():
            planned = await repository.plan(self.rules.latest_per_branch, cutoff)
            # Locked in id order (the plan is), so concurrent cleans never deadlock. A concurrent write that refers
            # to a planned row (a deployment of an old version, a publication reusing an old content) holds a
            # key-share lock on it until it commits: once these locks are granted, every such write is committed
            # and visible to the next statement, which plans again.
            await versions.lock_all_for_delete(planned.versions)
            await contracts.lock_contents_for_delete(planned.contents)
            await vectors.lock_all_for_delete(planned.vectors)
            plan = (await repository.plan(self.rules.latest_per_branch, cutoff)).within(planned)
            counts = await repository.counts(plan)
            # Each table by its own slice's repository; what refers to a removed row goes with it (ON DELETE CASCADE).
            await versions.delete_all(plan.versions)
            await contracts.delete_contents(plan.contents)
            await vectors.delete_all(plan.vectors)
            counts.idempotency_keys = await idempotency_keys.delete_expired(keys_expired_before)
            _add_history(counts, await webhook_history.delete_expired(history_expired_before))
        return counts

    async def clean(self, dry_run: bool, wait: bool = True, tenant_slug: str | None = None) -> CleanReport:
        """Clean every tenant (or the one named) under the cluster-wide clean lock.

        With `wait` off, raise CleanAlreadyRunning instead of waiting for another process's clean.
        """
        async with clean_lock(wait=wait) as acquired:
            if not acquired:
                raise CleanAlreadyRunning
            tenants = TenantService()
            slugs = [tenant_slug] if tenant_slug else [tenant.slug for tenant in await tenants.list()]
            report = CleanReport(dry_run=dry_run, tenants=[])
            for slug in slugs:
                removed = await self.clean_tenant(await tenants.resolve_slug(slug), dry_run=dry_run)
                report.tenants.append(TenantClean(tenant=slug, removed=removed))
                if not dry_run and removed.total():
                    logger.info("clean: removed %d versions of tenant %s", removed.versions, slug)
            return report


def _add_history(counts: RemovedCounts, history: ExpiredHistory) -> None:
    counts.events = history.events
    counts.webhook_deliveries = history.webhook_deliveries
    counts.webhook_attempts = history.webhook_attempts
