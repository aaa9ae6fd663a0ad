"""Deliveries and their attempts: what the worker records, what the history shows."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from tables.webhooks import WebhookDelivery


class DeliveryRow(Row, frozen=True, kw_only=True):
    id: UUID
    event_id: UUID
    event: str  # the event's name
    provider_version: str | None  # its number
    status: str
    attempts: int
    next_attempt_at: datetime.datetime | None
    last_status: int | None
    created_at: datetime.datetime


class AttemptRow(Row, frozen=True, kw_only=True):
    id: UUID
    delivery: UUID | None  # None: a test run
    attempt: int
    request: str  # JSON text of the request as shown (accord.webhooks.schemas.SentRequest)
    response_status: int | None
    response_excerpt: str
    error: str
    duration_ms: int
    success: bool
    created_at: datetime.datetime


class DeliveryRepository(TenantRepository[WebhookDelivery]):
    """A tenant's webhook deliveries."""

    table = WebhookDelivery

    async def record_attempt(
        self,
        *,
        webhook_id: UUID,
        delivery_id: UUID | None,
        attempt: int,
        request: Any,
        status: int | None,
        excerpt: str,
        error: str,
        duration_ms: int,
        success: bool,
    ) -> None:
        await self.execute(
            "INSERT INTO webhook_attempt (tenant, webhook, delivery, attempt, request, response_status, "
            "response_excerpt, error, duration_ms, success) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)",
            webhook_id,
            delivery_id,
            attempt,
            msgspec.json.encode(request).decode(),
            status,
            excerpt.replace("\x00", ""),
            error.replace("\x00", ""),
            duration_ms,
            success,
        )

    async def finish(
        self,
        delivery_id: UUID,
        *,
        attempt: int,
        status: str,
        retry_in: datetime.timedelta | None,
        last_status: int | None,
    ) -> bool:
        """Close the claimed attempt; False if it is no longer this worker's (its lease ran out and another
        worker took the delivery up), in which case nothing is written."""
        rows = await self.fetch(
            "UPDATE webhook_delivery SET status = $3, last_status = $4, claimed_at = NULL, updated_at = now(), "
            "next_attempt_at = CASE WHEN $5::interval IS NULL THEN next_attempt_at ELSE now() + $5::interval END "
            "WHERE tenant = $1 AND id = $2 AND attempts = $6 AND status = 'running' RETURNING id",
            delivery_id,
            status,
            last_status,
            retry_in,
            attempt,
        )
        return bool(rows)

    async def close_attempt(
        self,
        delivery_id: UUID,
        *,
        webhook_id: UUID,
        attempt: int,
        request: Any,
        status: int | None,
        excerpt: str,
        error: str,
        duration_ms: int,
        success: bool,
        next_status: str,
        retry_in: datetime.timedelta | None,
    ) -> None:
        """Log the attempt and close it, in one statement (one round trip per delivery on the hot path).

        The delivery only changes if the attempt is still this worker's (its lease may have run out and another
        worker taken the delivery up); the attempt is logged either way: it happened."""
        await self.execute(
            "WITH closed AS (UPDATE webhook_delivery SET status = $11, last_status = $6, claimed_at = NULL, "
            "  updated_at = now(), next_attempt_at = CASE WHEN $12::interval IS NULL THEN next_attempt_at "
            "  ELSE now() + $12::interval END "
            "  WHERE tenant = $1 AND id = $3 AND attempts = $4 AND status = 'running') "
            "INSERT INTO webhook_attempt (tenant, webhook, delivery, attempt, request, response_status, "
            "response_excerpt, error, duration_ms, success) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10)",
            webhook_id,
            delivery_id,
            attempt,
            msgspec.json.encode(request).decode(),
            status,
            excerpt.replace("\x00", ""),
            error.replace("\x00", ""),
            duration_ms,
            success,
            next_status,
            retry_in,
        )

    async def deliveries_of(self, webhook_id: UUID, limit: int) -> list[DeliveryRow]:
        return await self.fetch_as(
            DeliveryRow,
            "SELECT d.id, d.event AS event_id, e.name AS event, v.number AS provider_version, d.status, d.attempts, "
            "d.next_attempt_at, d.last_status, d.created_at FROM webhook_delivery d "
            "JOIN event e ON e.tenant = $1 AND e.id = d.event "
            "LEFT JOIN service_version v ON v.tenant = $1 AND v.id = d.provider_version "
            "WHERE d.tenant = $1 AND d.webhook = $2 ORDER BY d.created_at DESC, d.id DESC LIMIT $3",
            webhook_id,
            limit,
        )

    async def attempts_of(self, webhook_id: UUID, delivery_ids: list[UUID] | None, limit: int) -> list[AttemptRow]:
        """Attempts of these deliveries (None: of the webhook, test runs included), newest first."""
        return await self.fetch_as(
            AttemptRow,
            "SELECT id, delivery, attempt, request::text AS request, response_status, response_excerpt, error, "
            "duration_ms, success, created_at FROM webhook_attempt "
            "WHERE tenant = $1 AND webhook = $2 AND ($3::uuid[] IS NULL OR delivery = ANY($3::uuid[])) "
            "ORDER BY created_at DESC, id DESC LIMIT $4",
            webhook_id,
            delivery_ids,
            limit,
        )
