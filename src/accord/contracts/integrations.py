"""Integrations: every consumer-provider pair with a contract, its newest contract and verification, a
numbered page at a time."""

from __future__ import annotations

from accord.contracts.following import ContractFollower
from accord.contracts.repository import ContractRepository
from accord.contracts.schemas import Integration, IntegrationRow, WebhookStatus
from accord.db.counted_rows import Counted
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.tenant_ids import TenantId


class IntegrationService:
    """A tenant's integrations."""

    def __init__(self, tenant: TenantId) -> None:
        self.contracts = ContractRepository(tenant)
        self.follower = ContractFollower(tenant)

    async def page(self, *, page: int | None, size: int, by_activity: bool = False) -> NumberedPage[Integration]:
        """By names, or (`by_activity`, a dashboard's order) most recently published or verified first."""
        await self.follower.settle()  # every recorded batch counts, derived or not

        async def fetch(limit: int, offset: int) -> Counted[IntegrationRow]:
            return await self.contracts.integrations_page(limit=limit, offset=offset, by_activity=by_activity)

        return await fetch_numbered(fetch, number=page, size=size, item=_integration)


def _integration(row: IntegrationRow) -> Integration:
    return Integration(
        consumer=row.consumer,
        provider=row.provider,
        consumer_version=row.consumer_version,
        consumer_version_branches=row.consumer_version_branches,
        consumer_version_tags=row.consumer_version_tags,
        sha=row.sha,
        pact_created_at=row.pact_created_at,
        success=row.success,
        verified_at=row.verified_at,
        provider_version=row.provider_version,
        provider_version_branches=row.provider_version_branches,
        provider_version_tags=row.provider_version_tags,
        provider_latest_tags=row.provider_latest_tags,
        webhook_at=row.webhook_at,
        webhook_status=_webhook_status(row),
    )


def _webhook_status(row: IntegrationRow) -> WebhookStatus:
    """No webhook for the pair, none run yet, retrying, or how the newest request went."""
    if row.delivery_status in ("pending", "running"):
        return "retrying" if row.webhook_at is not None else "not_run"
    if row.webhook_at is not None:
        return "success" if row.webhook_success else "failure"
    return "not_run" if row.has_webhooks else "none"
