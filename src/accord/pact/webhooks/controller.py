"""/webhooks: the broker's webhook resources (create-webhook, create-or-update-webhook, test-webhook)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import resource_id
from accord.pact.webhooks.resources import (
    execution_resource,
    executions_resource,
    webhook_resource,
    webhook_url,
    webhooks_resource,
)
from accord.pact.webhooks.schemas import PactWebhookBody
from accord.pact.webhooks.translation import to_webhook_create
from accord.webhooks.service import WebhookService


class PactWebhookController(Controller):
    path = "/webhooks"
    tags = ["pact"]

    @get("/", operation_id="PactListWebhooks")
    async def list_webhooks(
        self, request: Request[Any, Any, Any], webhook_service: NamedDependency[WebhookService]
    ) -> Response[Any]:
        links = Links(request)
        return hal(webhooks_resource(links, await webhook_service.list_webhooks(), links.url("webhooks")))

    @post("/", operation_id="PactCreateWebhook", summary="422 for a URL the SSRF guard refuses")
    async def create_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        data: JSONBody[PactWebhookBody],
    ) -> Response[Any]:
        links, created = Links(request), await webhook_service.create(to_webhook_create(data))
        return hal(webhook_resource(links, created), HTTP_201_CREATED, {"Location": webhook_url(links, created)})

    @get("/provider/{provider:str}/consumer/{consumer:str}", operation_id="PactListPairWebhooks")
    async def list_pair_webhooks(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        provider: FromPath[str],
        consumer: FromPath[str],
    ) -> Response[Any]:
        links = Links(request)
        found = await webhook_service.list_webhooks(consumer=consumer, provider=provider, pair=True)
        return hal(webhooks_resource(links, found, links.url("webhooks", "provider", provider, "consumer", consumer)))

    @post("/provider/{provider:str}/consumer/{consumer:str}", operation_id="PactCreatePairWebhook")
    async def create_pair_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        provider: FromPath[str],
        consumer: FromPath[str],
        data: JSONBody[PactWebhookBody],
    ) -> Response[Any]:
        fields = to_webhook_create(data)
        fields.consumer, fields.provider = consumer, provider
        links, created = Links(request), await webhook_service.create(fields)
        return hal(webhook_resource(links, created), HTTP_201_CREATED, {"Location": webhook_url(links, created)})

    @get("/{webhook_uuid:str}", operation_id="PactGetWebhook")
    async def get_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        webhook_uuid: FromPath[str],
    ) -> Response[Any]:
        return hal(webhook_resource(Links(request), await webhook_service.get(resource_id(webhook_uuid, "webhook"))))

    @put("/{webhook_uuid:str}", operation_id="PactPutWebhook", summary="Replace, or create with this uuid")
    async def put_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        webhook_uuid: FromPath[str],
        data: JSONBody[PactWebhookBody],
    ) -> Response[Any]:
        webhook, created = await webhook_service.replace(resource_id(webhook_uuid, "webhook"), to_webhook_create(data))
        links = Links(request)
        if created:
            return hal(webhook_resource(links, webhook), HTTP_201_CREATED, {"Location": webhook_url(links, webhook)})
        return hal(webhook_resource(links, webhook))

    @delete("/{webhook_uuid:str}", operation_id="PactDeleteWebhook")
    async def delete_webhook(
        self, webhook_service: NamedDependency[WebhookService], webhook_uuid: FromPath[str]
    ) -> None:
        await webhook_service.delete(resource_id(webhook_uuid, "webhook"))

    @post("/{webhook_uuid:str}/execute", operation_id="PactExecuteWebhook", status_code=HTTP_200_OK)
    async def execute_webhook(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        webhook_uuid: FromPath[str],
    ) -> Response[Any]:
        webhook_id = resource_id(webhook_uuid, "webhook")
        links = Links(request)
        execution = await webhook_service.execute(webhook_id, links.base)
        return hal(execution_resource(links, await webhook_service.get(webhook_id), execution))

    @get("/{webhook_uuid:str}/executions", operation_id="PactWebhookExecutions", summary="Attempts, newest first")
    async def list_executions(
        self,
        request: Request[Any, Any, Any],
        webhook_service: NamedDependency[WebhookService],
        webhook_uuid: FromPath[str],
    ) -> Response[Any]:
        webhook_id = resource_id(webhook_uuid, "webhook")
        links = Links(request)
        attempts = await webhook_service.executions(webhook_id)
        return hal(executions_resource(links, await webhook_service.get(webhook_id), attempts))
