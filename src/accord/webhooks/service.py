"""Webhooks: saving them (refusing URLs they could never be sent to), test runs, delivery history."""

from __future__ import annotations

import uuid
from uuid import UUID

import msgspec

from accord.db.engine import get_engine
from accord.errors import FieldError, InvalidInput, NotFound
from accord.tenant_ids import TenantId
from accord.webhooks.context_repository import EventContextRepository
from accord.webhooks.delivery_repository import AttemptRow, DeliveryRepository
from accord.webhooks.policy import DeliveryPolicy
from accord.webhooks.repository import WebhookRepository, WebhookRow, WebhookValues
from accord.webhooks.schemas import (
    Attempt,
    Delivery,
    Execution,
    SentRequest,
    Webhook,
    WebhookCreate,
    WebhookRequest,
    WebhookUpdate,
)
from accord.webhooks.sender import prepare, send
from accord.webhooks.signing import new_secret, redact_headers, redact_url
from accord.webhooks.templates import placeholder_url
from accord.webhooks.url_guard import BlockedUrl, check_url, guarded_client
from accord.webhooks.variables import NAMES, variables_for

HISTORY_LIMIT = 50


class WebhookService:
    """A tenant's webhooks."""

    def __init__(self, tenant: TenantId, policy: DeliveryPolicy) -> None:
        self.policy = policy
        self.webhooks = WebhookRepository(tenant)
        self.deliveries = DeliveryRepository(tenant)
        self.context = EventContextRepository(tenant)

    async def create(self, data: WebhookCreate, webhook_id: UUID | None = None) -> Webhook:
        secret = data.secret or new_secret()
        values = await self._values(data, secret)
        created = await self.webhooks.create(webhook_id, values)
        if created is None:  # only with a caller-chosen id, taken by some tenant
            raise NotFound(f"No webhook with id '{webhook_id}'.")
        webhook = await self.get(created)
        webhook.secret = secret
        return webhook

    async def get(self, webhook_id: UUID) -> Webhook:
        return _webhook(await self._row(webhook_id))

    async def list_webhooks(
        self, *, consumer: str | None = None, provider: str | None = None, pair: bool = False
    ) -> list[Webhook]:
        consumer_id = await self.webhooks.service_id(consumer) if consumer else None
        provider_id = await self.webhooks.service_id(provider) if provider else None
        if pair and ((consumer and consumer_id is None) or (provider and provider_id is None)):
            return []
        rows = await self.webhooks.list_for(consumer_id=consumer_id, provider_id=provider_id, pair=pair)
        return [_webhook(row) for row in rows]

    async def update(self, webhook_id: UUID, data: WebhookUpdate) -> Webhook:
        async with get_engine().transaction():
            current = _webhook(await self._row(webhook_id))
            merged = WebhookCreate(
                description=current.description if data.description is msgspec.UNSET else data.description,
                enabled=current.enabled if data.enabled is msgspec.UNSET else data.enabled,
                events=list(current.events) if data.events is msgspec.UNSET else data.events,  # type: ignore[arg-type]
                consumer=current.consumer if data.consumer is msgspec.UNSET else data.consumer,
                provider=current.provider if data.provider is msgspec.UNSET else data.provider,
                consumer_label=current.consumer_label if data.consumer_label is msgspec.UNSET else data.consumer_label,
                provider_label=current.provider_label if data.provider_label is msgspec.UNSET else data.provider_label,
                request=self._current_request(await self._row(webhook_id))
                if data.request is msgspec.UNSET
                else data.request,
            )
            row = await self._row(webhook_id)
            await self.webhooks.update_values(webhook_id, await self._values(merged, row.secret))
        return await self.get(webhook_id)

    async def replace(self, webhook_id: UUID, data: WebhookCreate) -> tuple[Webhook, bool]:
        """Pact's PUT: replace the webhook, or create it with this id; (webhook, created)."""
        async with get_engine().transaction():
            row = await self.webhooks.get(webhook_id)
            if row is not None:
                await self.webhooks.update_values(webhook_id, await self._values(data, data.secret or row.secret))
        if row is None:
            return await self.create(data, webhook_id), True
        return await self.get(webhook_id), False

    async def delete(self, webhook_id: UUID) -> None:
        if not await self.webhooks.remove(webhook_id):
            raise NotFound(f"No webhook with id '{webhook_id}'.")

    async def execute(self, webhook_id: UUID, base_url: str) -> Execution:
        """Send the webhook now, for the newest event it matches (or made-up values if none), and log it."""
        row = await self._row(webhook_id)
        event = await self.webhooks.latest_matching_event(webhook_id)
        event_row = await self.context.event(event.id) if event else None
        if event_row is not None:
            variables = await variables_for(self.context, event_row, links=self.policy.links, base_url=base_url)
        else:
            variables = dict.fromkeys(NAMES, "")
            variables.update(consumerName=row.consumer or "", providerName=row.provider or "")
            variables["eventName"] = row.events[0]
        request = prepare(row, variables, idempotency_key=f"test-{uuid.uuid4()}", event_name=variables["eventName"])
        async with guarded_client(self.policy.urls, timeout_seconds=self.policy.timeout_seconds) as client:
            outcome = await send(client, request, deadline_seconds=self.policy.deadline_seconds)
        shown = request.shown(row.username)
        await self.deliveries.record_attempt(
            webhook_id=webhook_id,
            delivery_id=None,
            attempt=1,
            request=shown,
            status=outcome.status,
            excerpt=outcome.excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
            success=outcome.success,
        )
        return Execution(
            success=outcome.success,
            request=shown,
            response_status=outcome.status,
            response_headers=outcome.headers,
            response_body=outcome.excerpt,
            error=outcome.error,
            duration_ms=outcome.duration_ms,
        )

    async def history(self, webhook_id: UUID, limit: int = HISTORY_LIMIT) -> list[Delivery]:
        """The newest deliveries, each with its attempts."""
        await self._row(webhook_id)
        deliveries = await self.deliveries.deliveries_of(webhook_id, limit)
        ids = [row.id for row in deliveries]
        attempts: dict[UUID | None, list[Attempt]] = {}
        for attempt in await self.deliveries.attempts_of(webhook_id, ids, limit * 10):
            attempts.setdefault(attempt.delivery, []).append(_attempt(attempt))
        return [
            Delivery(
                id=row.id,
                event_id=row.event_id,
                event=row.event,
                provider_version=row.provider_version,
                status=row.status,
                attempts=row.attempts,
                next_attempt_at=row.next_attempt_at,
                last_status=row.last_status,
                created_at=row.created_at,
                history=attempts.get(row.id, []),
            )
            for row in deliveries
        ]

    async def executions(self, webhook_id: UUID, limit: int = HISTORY_LIMIT) -> list[Attempt]:
        """Every attempt, test runs included, newest first."""
        await self._row(webhook_id)
        return [_attempt(row) for row in await self.deliveries.attempts_of(webhook_id, None, limit)]

    async def _row(self, webhook_id: UUID) -> WebhookRow:
        row = await self.webhooks.get(webhook_id)
        if row is None:
            raise NotFound(f"No webhook with id '{webhook_id}'.")
        return row

    @staticmethod
    def _current_request(row: WebhookRow) -> WebhookRequest:
        body = row.body
        return WebhookRequest(
            method=row.method,  # type: ignore[arg-type]  # written from a WebhookRequest, so one of its methods
            url=row.url,
            headers=row.headers,
            body=msgspec.json.decode(body) if body is not None and row.body_is_json else body,
            username=row.username,
            password=row.password,
        )

    async def _values(self, data: WebhookCreate, secret: str) -> WebhookValues:
        """Columns from the input, after checking the URL and the services it names."""
        try:
            await check_url(self.policy.urls, placeholder_url(data.request.url))
        except BlockedUrl as exc:
            raise InvalidInput(
                f"The webhook URL is not allowed: {exc}.",
                errors=[FieldError(detail=str(exc), pointer="/request/url")],
            ) from None
        services: dict[str, UUID | None] = {}
        for role in ("consumer", "provider"):
            name = getattr(data, role)
            services[role] = await self.webhooks.service_id(name) if name else None
            if name and services[role] is None:
                raise InvalidInput(
                    f"No {role} named '{name}'.", errors=[FieldError(detail="unknown service", pointer=f"/{role}")]
                )
        body = data.request.body
        return WebhookValues(
            description=data.description,
            enabled=data.enabled,
            events=msgspec.json.encode(list(dict.fromkeys(data.events))).decode(),
            consumer=services["consumer"],
            provider=services["provider"],
            method=data.request.method,
            url=data.request.url,
            headers=msgspec.json.encode(data.request.headers).decode(),
            body=None if body is None else body if isinstance(body, str) else msgspec.json.encode(body).decode(),
            body_is_json=body is not None and not isinstance(body, str),
            username=data.request.username,
            password=data.request.password,
            secret=secret,
            consumer_label=data.consumer_label,
            provider_label=data.provider_label,
        )


def _webhook(row: WebhookRow) -> Webhook:
    body = row.body
    return Webhook(
        id=row.id,
        description=row.description,
        enabled=row.enabled,
        events=row.events,
        consumer=row.consumer,
        provider=row.provider,
        consumer_label=row.consumer_label,
        provider_label=row.provider_label,
        request=SentRequest(
            method=row.method,
            url=redact_url(row.url),
            headers=redact_headers(row.headers),
            body=msgspec.json.decode(body) if body is not None and row.body_is_json else body,
            username=row.username,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _attempt(row: AttemptRow) -> Attempt:
    return Attempt(
        id=row.id,
        attempt=row.attempt,
        request=msgspec.json.decode(row.request, type=SentRequest),
        response_status=row.response_status,
        response_excerpt=row.response_excerpt,
        error=row.error,
        duration_ms=row.duration_ms,
        success=row.success,
        created_at=row.created_at,
    )
