"""The background worker that delivers webhooks, in every Accord process (see accord.db.queue_worker).

Each round fans new events out to matching webhooks, then claims due deliveries and sends them concurrently.
A delivery is at-least-once: a worker killed mid-request leaves its attempt claimed until the lease runs out,
then another worker sends it again with the same Idempotency-Key, so receivers can drop the repeat.
"""

from __future__ import annotations

import asyncio
import datetime
import logging

from accord.db.engine import get_engine
from accord.db.queue_worker import QueueWorker
from accord.webhooks.context_repository import EventContextRepository
from accord.webhooks.delivery_repository import DeliveryRepository
from accord.webhooks.policy import DeliveryPolicy
from accord.webhooks.queue import ClaimedDelivery, claim, fan_out, seconds_until_due
from accord.webhooks.repository import WebhookRepository
from accord.webhooks.sender import Outcome, prepare, send
from accord.webhooks.url_guard import guarded_client
from accord.webhooks.variables import variables_for

logger = logging.getLogger(__name__)

CHANNEL = "accord_events"
_FAN_OUT_BATCH = 200
_CLAIM_BATCH = 20


class WebhookWorker(QueueWorker):
    channel = CHANNEL
    poll_seconds = 5.0

    def __init__(self, dsn: str, policy: DeliveryPolicy) -> None:
        super().__init__(dsn)
        self.policy = policy
        self._client = guarded_client(policy.urls, timeout_seconds=policy.timeout_seconds)

    def start(self) -> None:
        if self._client.is_closed:  # started again after a stop (an app's lifespan can run more than once)
            self._client = guarded_client(self.policy.urls, timeout_seconds=self.policy.timeout_seconds)
        super().start()

    async def stop(self) -> None:
        await super().stop()
        await self._client.aclose()

    async def work_once(self) -> bool:
        fanned = await fan_out(_FAN_OUT_BATCH)
        deliveries = await claim(_CLAIM_BATCH, self.policy.lease)
        if deliveries:
            outcomes = await asyncio.gather(*(self.deliver(d) for d in deliveries), return_exceptions=True)
            for delivery, outcome in zip(deliveries, outcomes, strict=True):
                if isinstance(outcome, BaseException):  # its lease runs out and another round retries it
                    logger.error("webhook delivery %s: %r", delivery.id, outcome)
        return bool(fanned or deliveries)

    async def wait_seconds(self) -> float:
        due = await seconds_until_due(self.policy.lease)
        return self.poll_seconds if due is None else min(self.poll_seconds, due + 0.01)

    async def deliver(self, job: ClaimedDelivery) -> None:
        webhooks = WebhookRepository(job.tenant)
        deliveries = DeliveryRepository(job.tenant)
        context = EventContextRepository(job.tenant)
        webhook = await webhooks.get(job.webhook)
        event = await context.event(job.event)
        if webhook is None or event is None:  # deleted meanwhile (the delivery row goes with them)
            return
        if job.attempt > self.policy.max_attempts:  # its last worker died mid-attempt
            await deliveries.finish(job.id, attempt=job.attempt, status="failed", retry_in=None, last_status=None)
            return
        variables = await variables_for(
            context,
            event,
            base_url=self.policy.base_url,
            provider_version=job.provider_version,
            delivery_id=job.id,
        )
        request = prepare(webhook, variables, idempotency_key=str(job.id), event_name=event["name"])
        outcome = await send(self._client, request, deadline_seconds=self.policy.deadline_seconds)
        status, retry_in = self._next_step(outcome, job.attempt)
        async with get_engine().transaction():
            await deliveries.record_attempt(
                webhook_id=job.webhook,
                delivery_id=job.id,
                attempt=job.attempt,
                request=request.shown(webhook["username"]),
                status=outcome.status,
                excerpt=outcome.excerpt,
                error=outcome.error,
                duration_ms=outcome.duration_ms,
                success=outcome.success,
            )
            await deliveries.finish(
                job.id, attempt=job.attempt, status=status, retry_in=retry_in, last_status=outcome.status
            )
        if not outcome.success:
            logger.info("webhook %s attempt %d: %s", job.webhook, job.attempt, outcome.error or outcome.status)

    def _next_step(self, outcome: Outcome, attempt: int) -> tuple[str, datetime.timedelta | None]:
        if outcome.success:
            return "succeeded", None
        if outcome.error.startswith("blocked:") or attempt >= self.policy.max_attempts:
            return "failed", None  # an address the policy refuses stays refused
        return "pending", self.policy.retry_delay(attempt)
