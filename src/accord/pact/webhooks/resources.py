"""The HAL bodies of webhooks, as the Pact Broker shows them."""

from __future__ import annotations

from typing import Any

from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.resource_urls import pacticipant_url
from accord.webhooks.schemas import Attempt, Execution, Webhook


def webhook_url(links: Links, webhook: Webhook, *rest: str) -> str:
    return links.url("webhooks", str(webhook.id), *rest)


def _title(webhook: Webhook) -> str:
    return webhook.description or f"Webhook {webhook.id}"


def webhook_resource(links: Links, webhook: Webhook) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": str(webhook.id),
        "description": webhook.description,
        "enabled": webhook.enabled,
        "request": {
            "method": webhook.request.method,
            "url": webhook.request.url,
            "headers": webhook.request.headers,
            **({"body": webhook.request.body} if webhook.request.body is not None else {}),
            **({"username": webhook.request.username} if webhook.request.username else {}),
        },
        "events": [{"name": name} for name in webhook.events],
        "createdAt": pact_time(webhook.created_at),
        "updatedAt": pact_time(webhook.updated_at),
    }
    link_map: dict[str, Any] = {
        "self": Link(href=webhook_url(links, webhook), title=_title(webhook)),
        "pb:execute": Link(href=webhook_url(links, webhook, "execute"), title="Test the execution of the webhook"),
        "pb:executions": Link(href=webhook_url(links, webhook, "executions"), title="Executions of this webhook"),
        "pb:webhooks": Link(href=links.url("webhooks"), title="All webhooks"),
    }
    for role in ("consumer", "provider"):
        name, label = getattr(webhook, role), getattr(webhook, f"{role}_label")
        if name:
            body[role] = {"name": name}
            link_map[f"pb:{role}"] = Link(href=pacticipant_url(links, name), title=role.title(), name=name)
        if label:
            body[role] = {**body.get(role, {}), "label": label}
    if webhook.consumer and webhook.provider:
        link_map["pb:pact-webhooks"] = Link(
            href=links.url("webhooks", "provider", webhook.provider, "consumer", webhook.consumer),
            title=f"All webhooks for consumer {webhook.consumer} and provider {webhook.provider}",
        )
    body["_links"] = link_map
    return body


def webhooks_resource(links: Links, webhooks: list[Webhook], self_url: str) -> dict[str, Any]:
    return {
        "_embedded": {"webhooks": [webhook_resource(links, webhook) for webhook in webhooks]},
        "_links": {
            "self": Link(href=self_url, title="Webhooks"),
            "pb:create": Link(href=self_url, title="POST to create a webhook"),
            "pb:webhooks": [
                Link(href=webhook_url(links, webhook), title=_title(webhook), name=webhook.description or None)
                for webhook in webhooks
            ],
        },
    }


def execution_resource(links: Links, webhook: Webhook, execution: Execution) -> dict[str, Any]:
    return {
        "success": execution.success,
        "request": {
            "method": execution.request.method,
            "url": execution.request.url,
            "headers": execution.request.headers,
            "body": execution.request.body,
        },
        "response": {
            "status": execution.response_status,
            "headers": execution.response_headers,
            "body": execution.response_body,
        },
        "logs": execution.error or f"HTTP {execution.response_status} in {execution.duration_ms} ms",
        "_links": {"webhook": Link(href=webhook_url(links, webhook), title=_title(webhook))},
    }


def executions_resource(links: Links, webhook: Webhook, attempts: list[Attempt]) -> dict[str, Any]:
    return {
        "_embedded": {
            "executions": [
                {
                    "success": attempt.success,
                    "attempt": attempt.attempt,
                    "request": attempt.request,
                    "response": {"status": attempt.response_status, "body": attempt.response_excerpt},
                    "error": attempt.error or None,
                    "durationMs": attempt.duration_ms,
                    "createdAt": pact_time(attempt.created_at),
                }
                for attempt in attempts
            ]
        },
        "_links": {
            "self": Link(href=webhook_url(links, webhook, "executions"), title="Executions"),
            "pb:webhook": Link(href=webhook_url(links, webhook), title=_title(webhook)),
        },
    }
