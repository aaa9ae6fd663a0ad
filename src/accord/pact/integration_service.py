"""Integrations (consumer-provider pairs with a pact) as /integrations and /dashboard page them."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.contracts.following import ContractFollower
from accord.db.counted_rows import Counted, counted
from accord.http.numbered_pages import NumberedPage, fetch_numbered
from accord.pact.integration_repository import PactIntegrationRepository
from accord.pact.integration_schemas import PactIntegration, WebhookStatus
from accord.tenancy.ids import TenantId


class PactIntegrationService:
    """A tenant's integrations, a numbered page at a time."""

    def __init__(self, tenant: TenantId) -> None:
        self.integrations = PactIntegrationRepository(tenant)
        self.follower = ContractFollower(tenant)

    async def page(self, *, page: int | None, size: int, by_activity: bool = False) -> NumberedPage[PactIntegration]:
        """By names, or (`by_activity`, the dashboard's order) most recently published or verified first."""
        await self.follower.settle()  # every recorded batch counts, derived or not

        async def fetch(limit: int, offset: int) -> Counted[dict[str, Any]]:
            return counted(await self.integrations.list_page(limit=limit, offset=offset, by_activity=by_activity), dict)

        return await fetch_numbered(fetch, number=page, size=size, item=_integration)


def _integration(row: dict[str, Any]) -> PactIntegration:
    fields = {k: v for k, v in row.items() if k not in ("webhook_success", "delivery_status", "has_webhooks")}
    return msgspec.convert({**fields, "webhook_status": _webhook_status(row)}, PactIntegration)


def _webhook_status(row: dict[str, Any]) -> WebhookStatus:
    """The broker's words: no webhook for the pair, none run yet, retrying, or how the newest request went."""
    if row["delivery_status"] in ("pending", "running"):
        return "retrying" if row["webhook_at"] is not None else "not_run"
    if row["webhook_at"] is not None:
        return "success" if row["webhook_success"] else "failure"
    return "not_run" if row["has_webhooks"] else "none"
