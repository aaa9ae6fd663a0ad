from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from accord.http.base_url import base_url
from accord.webhooks.schemas import Delivery, Execution, Webhook, WebhookCreate, WebhookUpdate
from accord.webhooks.service import WebhookService


class WebhookController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]

    @post("/", operation_id="CreateWebhook", summary="422 for a URL the SSRF guard refuses; the secret is shown once")
    async def create_webhook(
        self, webhook_service: NamedDependency[WebhookService], data: JSONBody[WebhookCreate]
    ) -> Webhook:
        return await webhook_service.create(data)

    @get("/", operation_id="ListWebhooks", summary="Oldest first")
    async def list_webhooks(self, webhook_service: NamedDependency[WebhookService]) -> list[Webhook]:
        return await webhook_service.list_webhooks()

    @get("/{webhook_id:uuid}", operation_id="GetWebhook")
    async def get_webhook(
        self, webhook_service: NamedDependency[WebhookService], webhook_id: FromPath[UUID]
    ) -> Webhook:
        return await webhook_service.get(webhook_id)

    @patch("/{webhook_id:uuid}", operation_id="UpdateWebhook")
    async def update_webhook(
        self,
        webhook_service: NamedDependency[WebhookService],
        webhook_id: FromPath[UUID],
        data: JSONBody[WebhookUpdate],
    ) -> Webhook:
        return await webhook_service.update(webhook_id, data)

    @delete("/{webhook_id:uuid}", operation_id="DeleteWebhook", summary="With its delivery history")
    async def delete_webhook(
        self, webhook_service: NamedDependency[WebhookService], webhook_id: FromPath[UUID]
    ) -> None:
        await webhook_service.delete(webhook_id)

    @get("/{webhook_id:uuid}/deliveries", operation_id="ListWebhookDeliveries", summary="Newest first, with attempts")
    async def list_deliveries(
        self, webhook_service: NamedDependency[WebhookService], webhook_id: FromPath[UUID]
    ) -> list[Delivery]:
        return await webhook_service.history(webhook_id)

    @post(
        "/{webhook_id:uuid}/execute",
        operation_id="ExecuteWebhook",
        summary="Send it now for the newest matching event; returns the request and the response",
        status_code=HTTP_200_OK,
    )
    async def execute_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        webhook_id: FromPath[UUID],
    ) -> Execution:
        return await webhook_service.execute(webhook_id, base_url(request))
