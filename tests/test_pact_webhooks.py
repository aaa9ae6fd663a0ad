"""Pact API webhooks: HAL shapes through HTTP, and the real `pact broker` client (create-webhook,
create-or-update-webhook, test-webhook, delete-webhook) against a live server whose deliveries reach a
receiver on loopback (ACCORD_WEBHOOK_ALLOW_PRIVATE)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, run_async, running_server
from tests.factories import make_tenant
from tests.test_pact_publish import contract, pact_v2, publication
from tests.webhook_receiver import Receiver, running_receiver

PACT = str(Path(sys.executable).parent / "pact")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    log = tmp_path_factory.mktemp("pact-webhooks") / "server.log"
    with running_server(log, ACCORD_WEBHOOK_ALLOW_PRIVATE="true", ACCORD_WEBHOOK_RETRY_BASE="0.2") as live:
        yield live


@pytest.fixture
def tenant(server: LiveServer) -> Any:
    return run_async(make_tenant, "pact-hooks")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def pact_cli(server: LiveServer, tenant: Any, *args: str) -> subprocess.CompletedProcess[str]:
    command = [PACT, "broker", *args, "--broker-base-url", server.base_url, "--broker-token", tenant.admin_key]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def http(server: LiveServer, tenant: Any) -> httpx.Client:
    return httpx.Client(base_url=server.base_url, headers=tenant.headers(), timeout=10)


def publish(client: httpx.Client, version: str) -> None:
    response = client.post("/contracts/publish", json=publication(contract(pact_v2()), version=version, branch="main"))
    assert response.status_code == 200, response.text


@pytest.mark.e2e
def test_pact_cli_creates_updates_tests_and_deletes_webhooks(
    server: LiveServer, tenant: Any, receiver: Receiver
) -> None:
    with http(server, tenant) as client:
        publish(client, "1")
        created = pact_cli(
            server, tenant, "create-webhook", receiver.url + "/build",
            "--request", "POST", "--header", "Content-Type: application/json", "X-Who: ${pactbroker.consumerName}",
            "--data", '{"pactUrl": "${pactbroker.pactUrl}"}', "--consumer", "web", "--provider", "api",
            "--contract-content-changed", "--description", "build api",
        )  # fmt: skip
        assert created.returncode == 0, created.stdout + created.stderr
        listed = client.get("/webhooks").json()
        (link,) = listed["_links"]["pb:webhooks"]
        webhook = client.get(link["href"]).json()
        assert webhook["description"] == "build api"
        assert webhook["consumer"] == {"name": "web"}
        assert webhook["provider"] == {"name": "api"}
        assert webhook["events"] == [{"name": "contract_content_changed"}]
        assert webhook["request"]["headers"] == {
            "Content-Type": "application/json",
            "X-Who": "${pactbroker.consumerName}",
        }
        assert webhook["_links"]["pb:execute"]["href"].endswith("/execute")
        pair = client.get("/webhooks/provider/api/consumer/web").json()
        assert [w["href"] for w in pair["_links"]["pb:webhooks"]] == [link["href"]]

        # A changed pact triggers it; the body was given as a string, and is sent as given (templated).
        client.post("/contracts/publish", json=publication(contract(pact_v2(name="Changed")), version="2"))
        (request,) = receiver.wait_for(1)
        assert request.path == "/build"
        assert request.headers["X-Who"] == "web"
        assert json.loads(request.body)["pactUrl"].startswith(server.base_url + "/pacts/provider/api/consumer/web/")

        webhook_uuid = str(uuid.uuid4())
        for description in ("first", "second"):
            upserted = pact_cli(
                server, tenant, "create-or-update-webhook", receiver.url + "/hook", "--uuid", webhook_uuid,
                "--request", "POST", "--provider", "api", "--provider-verification-published",
                "--description", description,
            )  # fmt: skip
            assert upserted.returncode == 0, upserted.stdout + upserted.stderr
            assert client.get(f"/webhooks/{webhook_uuid}").json()["description"] == description
        assert len(client.get("/webhooks").json()["_links"]["pb:webhooks"]) == 2

        tested = pact_cli(server, tenant, "test-webhook", "--uuid", webhook_uuid)
        assert tested.returncode == 0, tested.stdout + tested.stderr
        assert receiver.wait_for(2)[1].path == "/hook"
        executions = client.get(f"/webhooks/{webhook_uuid}/executions").json()["_embedded"]["executions"]
        assert executions[0]["success"] is True

        deleted = pact_cli(server, tenant, "delete-webhook", "--uuid", webhook_uuid)
        assert deleted.returncode == 0, deleted.stdout + deleted.stderr
        assert client.get(f"/webhooks/{webhook_uuid}").status_code == 404


def test_index_links_and_pact_shaped_errors(server: LiveServer, tenant: Any) -> None:
    with http(server, tenant) as client:
        index = client.get("/").json()["_links"]
        assert index["pb:webhooks"]["href"] == server.base_url + "/webhooks"
        assert index["pb:webhook"] == {
            "href": server.base_url + "/webhooks/{uuid}",
            "title": "Webhook",
            "templated": True,
        }
        body = {
            "events": [{"name": "contract_published"}],
            "request": {"method": "POST", "url": "https://169.254.169.254/"},
        }
        refused = client.post("/webhooks", json=body)
        assert refused.status_code == 400
        assert "metadata" in refused.json()["errors"]["request.url"][0]
        both = {**body, "request": {"url": "https://ci.example.invalid/"}, "consumer": {"name": "a", "label": "b"}}
        refused = client.post("/webhooks", json=both)
        assert refused.status_code == 400
        assert refused.json()["errors"]["consumer"] == ["cannot specify both a name and a label"]
        assert client.get(f"/webhooks/{uuid.uuid4()}").status_code == 404
        assert client.get("/webhooks/not-a-uuid").status_code == 404


def test_execute_returns_the_request_and_response(server: LiveServer, tenant: Any, receiver: Receiver) -> None:
    with http(server, tenant) as client:
        publish(client, "1")
        body = {
            "events": [{"name": "contract_published"}],
            "consumer": {"name": "web"},
            "request": {"method": "PUT", "url": receiver.url + "/x", "headers": ["Accept: application/json"],
                        "body": {"consumer": "${pactbroker.consumerName}"}},
        }  # fmt: skip
        created = client.post("/webhooks", json=body)
        assert created.status_code == 201, created.text
        assert created.headers["location"] == created.json()["_links"]["self"]["href"]
        executed = client.post(created.json()["_links"]["pb:execute"]["href"])
        assert executed.status_code == 200, executed.text
        result = executed.json()
        assert result["success"] is True
        assert result["request"]["body"] == {"consumer": "web"}
        assert result["response"]["status"] == 200
        assert json.loads(result["response"]["body"]) == {"received": True}


def test_another_tenant_sees_no_pact_webhooks(server: LiveServer, tenant: Any) -> None:
    other = run_async(make_tenant, "pact-hooks-other")
    with http(server, tenant) as client:
        body = {"events": [{"name": "contract_published"}], "request": {"url": "https://ci.example.invalid/"}}
        href = client.post("/webhooks", json=body).json()["_links"]["self"]["href"]
    with http(server, other) as client:
        assert client.get(href).status_code == 404
        assert client.put(href, json=body).status_code == 404  # its id is taken: not creatable here either
        assert client.delete(href).status_code == 404
        assert client.post(href + "/execute").status_code == 404
        assert client.get("/webhooks").json()["_links"]["pb:webhooks"] == []


@pytest.mark.e2e
def test_a_webhook_scoped_by_label_fires_for_labelled_pacticipants_only(
    server: LiveServer, tenant: Any, receiver: Receiver
) -> None:
    with http(server, tenant) as client:
        for label in ("mobile", "tablet"):
            assert client.put(f"/pacticipants/ios/labels/{label}").status_code == 201
        body = {
            "description": "mobile consumers",
            "events": [{"name": "contract_published"}],
            "consumer": {"label": "mobile"},
            "provider": {"label": "backend"},
            "request": {
                "method": "POST",
                "url": receiver.url + "/${pactbroker.consumerName}",
                "headers": {"X-Labels": "${pactbroker.consumerLabels}/${pactbroker.providerLabels}"},
            },
        }
        created = client.post("/webhooks", json=body)
        assert created.status_code == 201, created.text
        webhook = created.json()
        assert (webhook["consumer"], webhook["provider"]) == ({"label": "mobile"}, {"label": "backend"})
        assert "pb:consumer" not in webhook["_links"]
        native = client.get(f"/api/webhooks/{webhook['uuid']}").json()
        assert (native["consumer_label"], native["provider_label"]) == ("mobile", "backend")

        assert client.put("/pacticipants/api/labels/backend").status_code == 201
        # Published in this order, fanned out in this order: when ios -> api arrives, the others were passed over.
        for consumer, provider in (("web", "api"), ("ios", "other"), ("ios", "api")):
            document = contract(pact_v2(consumer, provider), consumer=consumer, provider=provider)
            published = client.post("/contracts/publish", json=publication(document, consumer=consumer))
            assert published.status_code == 200, published.text
        (request,) = receiver.wait_for(1)
        assert request.path == "/ios"
        assert request.headers["X-Labels"] == "mobile, tablet/backend"
        assert len(client.get(f"/api/webhooks/{webhook['uuid']}/deliveries").json()) == 1
