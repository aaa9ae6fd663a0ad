"""What /integrations and /dashboard show of a consumer-provider pair."""

from __future__ import annotations

import datetime
from typing import Literal

import msgspec

# The broker's webhook status of a pair, from its webhooks and their newest delivery.
WebhookStatus = Literal["none", "not_run", "retrying", "success", "failure"]


class PactIntegration(msgspec.Struct, kw_only=True, frozen=True):
    """A pair's newest pact (by consumer version order) and that pact's newest verification result."""

    consumer: str
    provider: str
    consumer_version: str
    consumer_version_branches: list[str]
    consumer_version_tags: list[str]
    sha: str
    pact_created_at: datetime.datetime
    success: bool | None
    verified_at: datetime.datetime | None
    provider_version: str | None
    provider_version_branches: list[str]
    provider_version_tags: list[str]
    provider_latest_tags: list[str]
    webhook_at: datetime.datetime | None
    webhook_status: WebhookStatus
