from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Controller, Request, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from accord.http.base_url import base_url
from accord.tenant_ids import TenantId
from accord.webhooks.schemas import Delivery, Execution, Webhook, WebhookCreate, WebhookUpdate
from accord.webhooks.service import WebhookService


def provide_webhook_service(tenant_id: NamedDependency[TenantId], state: State) -> WebhookService:
    return WebhookService(tenant_id, state.webhook_policy)


class WebhookController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]
    dependencies = {"webhooks": Provide(provide_webhook_service, sync_to_thread=False)}

    @post("/", operation_id="CreateWebhook", summary="422 for a URL the SSRF guard refuses; the secret is shown once")
    async def create_webhook(self, webhooks: NamedDependency[WebhookService], data: JSONBody[WebhookCreate]) -> Webhook:
        return await webhooks.create(data)

    @get("/", operation_id="ListWebhooks", summary="Oldest first")
    async def list_webhooks(self, webhooks: NamedDependency[WebhookService]) -> list[Webhook]:
        return await webhooks.list_webhooks()

    @get("/{webhook_id:uuid}", operation_id="GetWebhook")
    async def get_webhook(self, webhooks: NamedDependency[WebhookService], webhook_id: FromPath[UUID]) -> Webhook:
        return await webhooks.get(webhook_id)

    @patch("/{webhook_id:uuid}", operation_id="UpdateWebhook")
    async def update_webhook(
        self, webhooks: NamedDependency[WebhookService], webhook_id: FromPath[UUID], data: JSONBody[WebhookUpdate]
    ) -> Webhook:
        return await webhooks.update(webhook_id, data)

    @delete("/{webhook_id:uuid}", operation_id="DeleteWebhook", summary="With its delivery history")
    async def delete_webhook(self, webhooks: NamedDependency[WebhookService], webhook_id: FromPath[UUID]) -> None:
        await webhooks.delete(webhook_id)

    @get("/{webhook_id:uuid}/deliveries", operation_id="ListWebhookDeliveries", summary="Newest first, with attempts")
    async def list_deliveries(
        self, webhooks: NamedDependency[WebhookService], webhook_id: FromPath[UUID]
    ) -> list[Delivery]:
        return await webhooks.history(webhook_id)

    @post(
        "/{webhook_id:uuid}/execute",
        operation_id="ExecuteWebhook",
        summary="Send it now for the newest matching event; returns the request and the response",
        status_code=HTTP_200_OK,
    )
    async def execute_webhook(
        self, request: Request[Any, Any, Any], webhooks: NamedDependency[WebhookService], webhook_id: FromPath[UUID]
    ) -> Execution:
        return await webhooks.execute(webhook_id, base_url(request))
