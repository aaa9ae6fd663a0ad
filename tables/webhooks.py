"""Webhooks and the event outbox they are fed from."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import JSONB, UUID, BigSerial, Boolean, ForeignKey, Integer, OnDelete, Text, Timestamptz, Varchar
from piccolo.columns.readable import Readable

from tables.base import TenantTable
from tables.services import Service


class Event(TenantTable, help_text="Something that happened, written by the transaction that made it happen."):
    id = UUID(primary_key=True)
    # Global order (SSE `Last-Event-ID`, the fan-out's queue order); ids are random and can't say what came first.
    position = BigSerial(help_text="Commit-independent order of the event, for resuming streams.")
    name = Varchar(length=64, null=False, help_text="e.g. contract_published, provider_verification_failed.")
    consumer = ForeignKey(Service, null=True, on_delete=OnDelete.cascade, help_text="Consumer concerned, if any.")
    provider = ForeignKey(Service, null=True, on_delete=OnDelete.cascade, help_text="Provider concerned, if any.")
    subject = JSONB(default="{}", help_text="Ids of the rows the event is about (version, content, result...).")
    fanned_out = Boolean(default=False, help_text="Whether deliveries to the matching webhooks were queued.")


class Webhook(TenantTable, help_text="An HTTP request Accord sends when matching events happen."):
    id = UUID(primary_key=True)
    description = Varchar(length=500, default="", help_text="What the webhook is for.")
    enabled = Boolean(default=True, help_text="Disabled webhooks receive no new deliveries.")
    events = JSONB(default="[]", help_text="Event names that trigger it.")
    consumer = ForeignKey(Service, null=True, on_delete=OnDelete.cascade, help_text="Only events of this consumer.")
    provider = ForeignKey(Service, null=True, on_delete=OnDelete.cascade, help_text="Only events of this provider.")
    consumer_label = Varchar(
        length=255, null=True, default=None, help_text="Only events of a consumer with this label (at the event)."
    )
    provider_label = Varchar(
        length=255, null=True, default=None, help_text="Only events of a provider with this label (at the event)."
    )
    method = Varchar(length=10, default="POST", help_text="HTTP method.")
    url = Varchar(length=2048, null=False, help_text="Target URL; may hold ${pactbroker.*} / ${accord.*} variables.")
    headers = JSONB(default="{}", help_text="Request headers (templated).")
    body = Text(null=True, default=None, help_text="Request body (templated), as text.")
    body_is_json = Boolean(default=False, help_text="Whether the body was given as JSON (and is sent as JSON).")
    username = Varchar(length=255, null=True, default=None, help_text="Basic auth user.")
    password = Varchar(length=255, null=True, default=None, secret=True, help_text="Basic auth password.")
    secret = Varchar(length=128, null=False, secret=True, help_text="HMAC-SHA256 signing key of every request.")

    @classmethod
    def get_readable(cls) -> Readable:
        return Readable(template="%s", columns=[cls.description])


class WebhookDelivery(TenantTable, help_text="One event (and provider version) to deliver to one webhook."):
    class Status(StrEnum):
        pending = "pending"
        running = "running"
        succeeded = "succeeded"
        failed = "failed"

    id = UUID(primary_key=True)
    webhook = ForeignKey(Webhook, null=False, on_delete=OnDelete.cascade, help_text="Where to.")
    event = ForeignKey(Event, null=False, on_delete=OnDelete.cascade, help_text="What happened.")
    # contract_requiring_verification_published: one delivery per provider version that must verify.
    provider_version = UUID(null=True, default=None, help_text="The provider version this delivery is for.")
    status = Varchar(length=16, default=Status.pending, choices=Status, help_text="Where the delivery stands.")
    attempts = Integer(default=0, help_text="Attempts started so far.")
    next_attempt_at = Timestamptz(help_text="Not tried again before this.")
    claimed_at = Timestamptz(null=True, default=None, help_text="When a worker took the current attempt.")
    last_status = Integer(null=True, default=None, help_text="HTTP status of the last attempt, if any.")


class WebhookAttempt(TenantTable, help_text="One HTTP request of a delivery, as sent (secrets redacted)."):
    id = UUID(primary_key=True)
    delivery = ForeignKey(WebhookDelivery, null=True, on_delete=OnDelete.cascade, help_text="None: a test run.")
    webhook = ForeignKey(Webhook, null=False, on_delete=OnDelete.cascade, help_text="The webhook.")
    attempt = Integer(default=1, help_text="Attempt number within its delivery.")
    request = JSONB(default="{}", help_text="{method, url, headers, body}, auth headers redacted.")
    response_status = Integer(null=True, default=None, help_text="HTTP status, none if no response.")
    response_excerpt = Text(default="", help_text="Start of the response body.")
    error = Text(default="", help_text="Why no usable response came (timeout, refused, blocked address).")
    duration_ms = Integer(default=0, help_text="How long the attempt took.")
    success = Boolean(default=False, help_text="Whether the receiver answered 2xx.")
