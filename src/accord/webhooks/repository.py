"""Queries of webhooks."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

import msgspec

from accord.db.repository import TenantRepository
from accord.db.rows import Row, rows_as
from tables.webhooks import Webhook

_WEBHOOK = (
    "SELECT w.id, w.description, w.enabled, w.events::text AS events, w.method, w.url, w.headers::text AS headers, "
    "w.body, w.body_is_json, w.username, w.password, w.secret, w.created_at, w.updated_at, "
    "w.consumer AS consumer_id, w.provider AS provider_id, c.name AS consumer, p.name AS provider, "
    "w.consumer_label, w.provider_label "
    "FROM webhook w LEFT JOIN service c ON c.tenant = $1 AND c.id = w.consumer "
    "LEFT JOIN service p ON p.tenant = $1 AND p.id = w.provider WHERE w.tenant = $1 "
)

# A webhook scoped by label matches the events of services that have the label when the event is fanned out.
LABELS_MATCH = (
    "AND (w.consumer_label IS NULL OR EXISTS (SELECT 1 FROM service_label l WHERE l.tenant = e.tenant "
    "AND l.service = e.consumer AND l.name = w.consumer_label)) "
    "AND (w.provider_label IS NULL OR EXISTS (SELECT 1 FROM service_label l WHERE l.tenant = e.tenant "
    "AND l.service = e.provider AND l.name = w.provider_label))"
)


class WebhookValues(msgspec.Struct, frozen=True, kw_only=True):
    """The columns a create or update sets, in the order of the statements' parameters ($3 onwards)."""

    description: str
    enabled: bool
    events: str  # JSON text of the event names
    consumer: UUID | None
    provider: UUID | None
    method: str
    url: str
    headers: str  # JSON text
    body: str | None  # as text; JSON text when body_is_json
    body_is_json: bool
    username: str | None
    password: str | None
    secret: str
    consumer_label: str | None
    provider_label: str | None


class WebhookRow(Row, frozen=True, kw_only=True):
    """A webhook with its secrets (what the sender needs); services decide what of it is shown."""

    id: UUID
    description: str
    enabled: bool
    events: list[str]
    method: str
    url: str
    # Any JSON: the admin site edits the column as JSON; the sender turns each value into text.
    headers: dict[str, Any]
    body: str | None
    body_is_json: bool
    username: str | None
    password: str | None
    secret: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    consumer_id: UUID | None
    provider_id: UUID | None
    consumer: str | None
    provider: str | None
    consumer_label: str | None
    provider_label: str | None


class MatchingEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    name: str


def _decoded(rows: list[dict[str, Any]]) -> list[WebhookRow]:
    return rows_as(
        WebhookRow,
        (
            {**row, "events": msgspec.json.decode(row["events"]), "headers": msgspec.json.decode(row["headers"])}
            for row in rows
        ),
    )


class WebhookRepository(TenantRepository[Webhook]):
    """A tenant's webhooks."""

    table = Webhook

    async def service_id(self, name: str) -> UUID | None:
        rows = await self.fetch("SELECT id FROM service WHERE tenant = $1 AND name = $2", name)
        return UUID(str(rows[0]["id"])) if rows else None

    async def create(self, webhook_id: UUID | None, values: WebhookValues) -> UUID | None:
        """The new webhook's id; None if `webhook_id` is taken (in any tenant: ids are global)."""
        rows = await self.fetch(
            "INSERT INTO webhook (id, tenant, description, enabled, events, consumer, provider, method, url, headers, "
            "body, body_is_json, username, password, secret, consumer_label, provider_label) "
            "VALUES (COALESCE($2, gen_random_uuid()), $1, $3, $4, $5::jsonb, $6, $7, $8, $9, $10::jsonb, $11, $12, "
            "$13, $14, $15, $16, $17) ON CONFLICT (id) DO NOTHING RETURNING id",
            webhook_id,
            *msgspec.structs.astuple(values),
        )
        return UUID(str(rows[0]["id"])) if rows else None

    async def get(self, webhook_id: UUID) -> WebhookRow | None:
        rows = _decoded(await self.fetch(_WEBHOOK + "AND w.id = $2", webhook_id))
        return rows[0] if rows else None

    async def list_for(self, *, consumer_id: UUID | None, provider_id: UUID | None, pair: bool) -> list[WebhookRow]:
        """All webhooks, or (pair) those scoped to exactly this consumer and provider; oldest first."""
        if not pair:
            return _decoded(await self.fetch(_WEBHOOK + "ORDER BY w.created_at, w.id"))
        rows = await self.fetch(
            _WEBHOOK + "AND w.consumer IS NOT DISTINCT FROM $2 AND w.provider IS NOT DISTINCT FROM $3 "
            "ORDER BY w.created_at, w.id",
            consumer_id,
            provider_id,
        )
        return _decoded(rows)

    async def update_values(self, webhook_id: UUID, values: WebhookValues) -> bool:
        rows = await self.fetch(
            "UPDATE webhook SET description = $3, enabled = $4, events = $5::jsonb, consumer = $6, provider = $7, "
            "method = $8, url = $9, headers = $10::jsonb, body = $11, body_is_json = $12, username = $13, "
            "password = $14, secret = $15, consumer_label = $16, provider_label = $17, updated_at = now() "
            "WHERE tenant = $1 AND id = $2 RETURNING id",
            webhook_id,
            *msgspec.structs.astuple(values),
        )
        return bool(rows)

    async def remove(self, webhook_id: UUID) -> bool:
        rows = await self.fetch("DELETE FROM webhook WHERE tenant = $1 AND id = $2 RETURNING id", webhook_id)
        return bool(rows)

    async def latest_matching_event(self, webhook_id: UUID) -> MatchingEvent | None:
        """The newest event this webhook would have been sent for (what a test run sends)."""
        return await self.fetch_one(
            MatchingEvent,
            "SELECT e.id, e.name FROM webhook w JOIN event e ON e.tenant = $1 "
            "AND w.events ? e.name AND (w.consumer IS NULL OR w.consumer = e.consumer) "
            "AND (w.provider IS NULL OR w.provider = e.provider) " + LABELS_MATCH + " "
            "WHERE w.tenant = $1 AND w.id = $2 ORDER BY e.position DESC LIMIT 1",
            webhook_id,
        )
