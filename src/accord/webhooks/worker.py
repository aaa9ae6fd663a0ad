"""The background worker that delivers webhooks, in every Accord process (see accord.db.queue_worker).

Each round fans new events out to matching webhooks, then claims due deliveries and sends them concurrently.
A delivery is at-least-once: a worker killed mid-request leaves its attempt claimed until the lease runs out,
then another worker sends it again with the same Idempotency-Key, so receivers can drop the repeat.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
from uuid import UUID

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
            # One event's deliveries to its N webhooks share their variables: read once per round.
            shared: dict[tuple[UUID, UUID | None], asyncio.Task[dict[str, str] | None]] = {}
            outcomes = await asyncio.gather(*(self.deliver(d, shared) for d in deliveries), return_exceptions=True)
            for delivery, outcome in zip(deliveries, outcomes, strict=True):
                if isinstance(outcome, BaseException):  # its lease runs out and another round retries it
                    logger.error("webhook delivery %s: %r", delivery.id, outcome)
        return bool(fanned or deliveries)

    async def wait_seconds(self) -> float:
        due = await seconds_until_due(self.policy.lease)
        return self.poll_seconds if due is None else min(self.poll_seconds, due + 0.01)

    async def _variables(self, job: ClaimedDelivery) -> dict[str, str] | None:
        context = EventContextRepository(job.tenant)
        event = await context.event(job.event)
        if event is None:
            return None
        return await variables_for(
            context,
            event,
            links=self.policy.links,
            base_url=self.policy.base_url,
            provider_version=job.provider_version,
        )

    async def deliver(
        self, job: ClaimedDelivery, shared: dict[tuple[UUID, UUID | None], asyncio.Task[dict[str, str] | None]]
    ) -> None:
        deliveries = DeliveryRepository(job.tenant)
        key = (job.event, job.provider_version)
        if key not in shared:
            shared[key] = asyncio.get_running_loop().create_task(self._variables(job))
        webhook = await WebhookRepository(job.tenant).get(job.webhook)
        variables = await shared[key]
        if webhook is None or variables is None:  # deleted meanwhile (the delivery row goes with them)
            return
        if job.attempt > self.policy.max_attempts:  # its last worker died mid-attempt
            await deliveries.finish(job.id, attempt=job.attempt, status="failed", retry_in=None, last_status=None)
            return
        variables = {**variables, "deliveryId": str(job.id)}
        request = prepare(webhook, variables, idempotency_key=str(job.id), event_name=variables["eventName"])
        outcome = await send(self._client, request, deadline_seconds=self.policy.deadline_seconds)
        status, retry_in = self._next_step(outcome, job.attempt)
        await deliveries.close_attempt(
            job.id,
            webhook_id=job.webhook,
            attempt=job.attempt,
            request=request.shown(webhook.username),
            status=outcome.status,
            excerpt=outcome.excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            success=outcome.success,
            next_status=status,
            retry_in=retry_in,
        )
        if not outcome.success:
            logger.info("webhook %s attempt %d: %s", job.webhook, job.attempt, outcome.error or outcome.status)

    def _next_step(self, outcome: Outcome, attempt: int) -> tuple[str, datetime.timedelta | None]:
        if outcome.success:
            return "succeeded", None
        if outcome.error.startswith("blocked:") or attempt >= self.policy.max_attempts:
            return "failed", None  # an address the policy refuses stays refused
        return "pending", self.policy.retry_delay(attempt)
