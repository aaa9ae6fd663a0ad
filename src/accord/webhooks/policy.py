"""How deliveries are made: where they may go, how long they may take, when they are retried."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from accord.settings import Settings
from accord.webhooks.links import EventLinks
from accord.webhooks.url_guard import UrlPolicy

MAX_RETRY_DELAY = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class DeliveryPolicy:
    urls: UrlPolicy
    links: EventLinks
    timeout_seconds: float = 10.0
    max_attempts: int = 8
    retry_base_seconds: float = 5.0
    base_url: str = "http://127.0.0.1:8000"

    @classmethod
    def from_settings(cls, settings: Settings, *, links: EventLinks) -> DeliveryPolicy:
        return cls(
            urls=UrlPolicy.from_entries(settings.webhook_allow_private, settings.webhook_allow_hosts),
            links=links,
            timeout_seconds=settings.webhook_timeout_seconds,
            max_attempts=settings.webhook_max_attempts,
            retry_base_seconds=settings.webhook_retry_base_seconds,
            # Links in webhooks (pactUrl...) need the address clients know: ACCORD_BASE_URL in production.
            base_url=settings.base_url or f"http://{settings.host}:{settings.port}",
        )

    @property
    def deadline_seconds(self) -> float:
        """The most one attempt may take, redirects and a slow trickle of bytes included."""
        return self.timeout_seconds * 2

    @property
    def lease(self) -> datetime.timedelta:
        """A claimed attempt belongs to its worker this long; longer than any attempt can take, so a live
        worker's attempt is never taken over, and a dead worker's is retried after at most this."""
        return datetime.timedelta(seconds=self.deadline_seconds + 10)

    def retry_delay(self, attempts: int) -> datetime.timedelta:
        """Exponential: base, 4 x base, 16 x base... up to an hour."""
        delay = datetime.timedelta(seconds=self.retry_base_seconds * 4 ** max(attempts - 1, 0))
        return min(delay, MAX_RETRY_DELAY)
