"""Webhooks through HTTP, delivered by the real worker to real receivers on loopback (allowed here by
ACCORD_WEBHOOK_ALLOW_PRIVATE, as the setting is meant for), with short retry delays."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.factories import TestTenant as Tenant
from tests.factories import make_tenant
from tests.test_pact_publish import contract, pact_v2, publication
from tests.webhook_receiver import Receiver, always, running_receiver, statuses

MAX_ATTEMPTS = 4


@pytest.fixture(scope="module")
def webhook_app() -> Any:
    from accord.app import create_app
    from accord.settings import load_settings

    env = {
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "ACCORD_WEBHOOK_ALLOW_PRIVATE": "true",
        "ACCORD_WEBHOOK_RETRY_BASE": "0.2",
        "ACCORD_WEBHOOK_TIMEOUT": "1",
        "ACCORD_WEBHOOK_MAX_ATTEMPTS": str(MAX_ATTEMPTS),
        "ACCORD_BASE_URL": "https://accord.example",
    }
    return create_app(load_settings(env))


@pytest.fixture
def api(webhook_app: Any) -> Iterator[Any]:
    from litestar.testing import TestClient

    with TestClient(webhook_app) as test_client:
        yield test_client


@pytest.fixture
def on_app(api: Any) -> Callable[..., Any]:
    return lambda func, *args: api.blocking_portal.call(func, *args)


@pytest.fixture
def acme(on_app: Callable[..., Any]) -> Tenant:
    tenant: Tenant = on_app(make_tenant, "acme")
    return tenant


@pytest.fixture
def other(on_app: Callable[..., Any]) -> Tenant:
    tenant: Tenant = on_app(make_tenant, "other")
    return tenant


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def create_webhook(api: Any, tenant: Tenant, url: str, events: list[str], **fields: Any) -> dict[str, Any]:
    request = {"method": "POST", "url": url, **fields.pop("request", {})}
    response = api.post(
        "/api/webhooks", json={"events": events, "request": request, **fields}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def publish_pact(api: Any, tenant: Tenant, version: str, *, branch: str = "main", name: str = "Ann") -> None:
    body = publication(contract(pact_v2(name=name)), version=version, branch=branch)
    response = api.post("/contracts/publish", json=body, headers=tenant.headers())
    assert response.status_code == 200, response.text


def deliveries(api: Any, tenant: Tenant, webhook_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/api/webhooks/{webhook_id}/deliveries", headers=tenant.headers())
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def wait_until(condition: Callable[[], Any], timeout: float = 20) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def body_of(received: Any) -> Any:
    return json.loads(received.body)


class TestWebhookResource:
    def test_create_show_update_delete(self, api: Any, acme: Tenant, receiver: Receiver) -> None:
        api.post("/api/services", json={"name": "web"}, headers=acme.headers())
        created = create_webhook(
            api,
            acme,
            receiver.url + "/hook",
            ["contract_published"],
            consumer="web",
            description="build web",
            request={"headers": {"Authorization": "Bearer s3cret", "X-Plain": "1"}, "password": "pw", "username": "u"},
        )
        assert created["secret"]
        assert len(created["secret"]) >= 16
        assert created["consumer"] == "web"
        assert created["provider"] is None
        # Credentials are never shown back.
        assert created["request"]["headers"] == {"Authorization": "[redacted]", "X-Plain": "1"}
        assert "password" not in created["request"]
        webhook_id = created["id"]

        shown = api.get(f"/api/webhooks/{webhook_id}", headers=acme.headers(acme.read_key)).json()
        assert shown["secret"] is None
        assert shown["description"] == "build web"
        updated = api.patch(
            f"/api/webhooks/{webhook_id}", json={"enabled": False, "consumer": None}, headers=acme.headers()
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["enabled"] is False
        assert updated.json()["consumer"] is None
        assert updated.json()["request"]["username"] == "u"  # untouched fields stay
        assert [w["id"] for w in api.get("/api/webhooks", headers=acme.headers()).json()] == [webhook_id]
        assert api.delete(f"/api/webhooks/{webhook_id}", headers=acme.headers()).status_code == 204
        assert api.get(f"/api/webhooks/{webhook_id}", headers=acme.headers()).status_code == 404

    def test_bad_input_is_a_clear_problem(self, api: Any, acme: Tenant, receiver: Receiver) -> None:
        def create(body: dict[str, Any]) -> Any:
            return api.post("/api/webhooks", json=body, headers=acme.headers())

        request = {"url": receiver.url}
        assert create({"events": ["no_such_event"], "request": request}).status_code == 422
        assert create({"events": [], "request": request}).status_code == 422
        unknown = create({"events": ["contract_published"], "provider": "nobody", "request": request})
        assert unknown.status_code == 422
        assert "nobody" in unknown.json()["detail"]
        for url in ("ftp://files.example/x", "https://169.254.169.254/latest/meta-data", "not a url"):
            refused = create({"events": ["contract_published"], "request": {"url": url}})
            assert refused.status_code == 422, url
            assert refused.json()["errors"][0]["pointer"] == "/request/url"
        assert api.get("/api/webhooks", headers=acme.headers()).json() == []

    def test_readers_cannot_create(self, api: Any, acme: Tenant, receiver: Receiver) -> None:
        body = {"events": ["contract_published"], "request": {"url": receiver.url}}
        assert api.post("/api/webhooks", json=body, headers=acme.headers(acme.read_key)).status_code == 403

    def test_another_tenants_webhook_is_not_found(
        self, api: Any, acme: Tenant, other: Tenant, receiver: Receiver
    ) -> None:
        webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
        h = other.headers()
        assert api.get(f"/api/webhooks/{webhook_id}", headers=h).status_code == 404
        assert api.patch(f"/api/webhooks/{webhook_id}", json={"enabled": False}, headers=h).status_code == 404
        assert api.post(f"/api/webhooks/{webhook_id}/execute", headers=h).status_code == 404
        assert api.get(f"/api/webhooks/{webhook_id}/deliveries", headers=h).status_code == 404
        assert api.delete(f"/api/webhooks/{webhook_id}", headers=h).status_code == 404
        assert api.get("/api/webhooks", headers=h).json() == []
        assert api.get(f"/webhooks/{webhook_id}", headers=h).status_code == 404
        # ...and the other tenant's publications never reach it.
        publish_pact(api, other, "1")
        time.sleep(0.5)
        assert receiver.received == []
        assert api.get(f"/api/webhooks/{webhook_id}", headers=acme.headers()).status_code == 200


class TestDelivery:
    def test_templates_signature_and_idempotency_id(self, api: Any, acme: Tenant, receiver: Receiver) -> None:
        created = create_webhook(
            api,
            acme,
            receiver.url + "/build/${pactbroker.consumerName}?version=${pactbroker.consumerVersionNumber}",
            ["contract_published"],
            request={
                "headers": {"X-Provider": "${pactbroker.providerName}", "Authorization": "Bearer s3cret"},
                "body": {
                    "pactUrl": "${pactbroker.pactUrl}",
                    "branch": "${accord.consumerVersionBranch}",
                    "event": "${pactbroker.eventName}",
                    "status": "${pactbroker.githubVerificationStatus}",
                    "unknown": "${pactbroker.noSuchThing}",
                },
            },
        )
        publish_pact(api, acme, "1.0+beta", branch="feat/x")
        (request,) = receiver.wait_for(1)
        assert request.path == "/build/web?version=1.0%2Bbeta"
        assert request.headers["X-Provider"] == "api"
        assert request.headers["Authorization"] == "Bearer s3cret"
        body = body_of(request)
        assert body["pactUrl"].startswith("https://accord.example/pacts/provider/api/consumer/web/pact-version/")
        assert body == {
            "pactUrl": body["pactUrl"],
            "branch": "feat/x",
            "event": "contract_published",
            "status": "pending",
            "unknown": "${pactbroker.noSuchThing}",
        }
        timestamp = request.headers["X-Accord-Timestamp"]
        expected = hmac.new(created["secret"].encode(), timestamp.encode() + b"." + request.body, hashlib.sha256)
        assert request.headers["X-Accord-Signature"] == "sha256=" + expected.hexdigest()
        (delivery,) = wait_until(
            lambda: [d for d in deliveries(api, acme, created["id"]) if d["status"] == "succeeded"]
        )
        assert request.headers["Idempotency-Key"] == delivery["id"]
        (attempt,) = delivery["history"]
        assert attempt["response_status"] == 200
        assert attempt["success"] is True
        assert attempt["request"]["headers"]["Authorization"] == "[redacted]"
        assert attempt["request"]["headers"]["X-Accord-Signature"] == "[redacted]"
        assert attempt["response_excerpt"] == '{"received": true}'

    def test_retries_after_500s_with_the_same_idempotency_id(self, api: Any, acme: Tenant) -> None:
        with running_receiver(statuses(500, 503)) as receiver:
            webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
            publish_pact(api, acme, "1")
            requests = receiver.wait_for(3)
            (delivery,) = wait_until(
                lambda: [d for d in deliveries(api, acme, webhook_id) if d["status"] == "succeeded"]
            )
        assert len({r.headers["Idempotency-Key"] for r in requests}) == 1
        assert delivery["attempts"] == 3
        assert [a["response_status"] for a in reversed(delivery["history"])] == [500, 503, 200]

    def test_the_pact_dashboard_shows_the_pairs_webhook_activity(
        self, api: Any, acme: Tenant, receiver: Receiver
    ) -> None:
        publish_pact(api, acme, "1")
        (before,) = api.get("/dashboard", headers=acme.headers()).json()["items"]
        assert (before["webhookStatus"], before["latestWebhookExecution"]) == ("none", None)
        webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
        assert api.get("/dashboard", headers=acme.headers()).json()["items"][0]["webhookStatus"] == "not_run"
        publish_pact(api, acme, "2", name="Bob")
        wait_until(lambda: [d for d in deliveries(api, acme, webhook_id) if d["status"] == "succeeded"])
        (item,) = api.get("/dashboard", headers=acme.headers()).json()["items"]
        assert item["webhookStatus"] == "success"
        assert item["latestWebhookExecution"]["triggeredAt"].endswith("+00:00")

    def test_gives_up_after_the_last_attempt(self, api: Any, acme: Tenant) -> None:
        with running_receiver(always(500)) as receiver:
            webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
            publish_pact(api, acme, "1")
            (delivery,) = wait_until(
                lambda: [d for d in deliveries(api, acme, webhook_id) if d["status"] == "failed"], timeout=30
            )
            time.sleep(0.5)
            assert len(receiver.received) == MAX_ATTEMPTS
        assert delivery["attempts"] == MAX_ATTEMPTS
        assert len(delivery["history"]) == MAX_ATTEMPTS

    def test_a_hanging_receiver_never_slows_the_api(self, api: Any, acme: Tenant) -> None:
        with running_receiver(lambda index: (200, 5.0 if index == 0 else 0.0, {})) as receiver:
            webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
            publish_pact(api, acme, "1")
            receiver.wait_for(1)
            started = time.monotonic()
            publish_pact(api, acme, "2", name="Bob")  # while the first delivery hangs
            assert time.monotonic() - started < 1.0
            done = wait_until(
                lambda: (
                    len(found := [d for d in deliveries(api, acme, webhook_id) if d["status"] == "succeeded"]) == 2
                    and found
                ),
                timeout=30,
            )
        hung = next(d for d in done if d["attempts"] == 2)
        assert hung["history"][-1]["error"].startswith("timed out")

    def test_disabled_and_out_of_scope_webhooks_get_nothing(self, api: Any, acme: Tenant, receiver: Receiver) -> None:
        for name in ("mobile", "web", "api"):
            api.post("/api/services", json={"name": name}, headers=acme.headers())
        create_webhook(api, acme, receiver.url + "/mobile", ["contract_published"], consumer="mobile")
        create_webhook(api, acme, receiver.url + "/off", ["contract_published"], enabled=False)
        create_webhook(api, acme, receiver.url + "/other-event", ["provider_verification_published"])
        create_webhook(api, acme, receiver.url + "/web", ["contract_published"], consumer="web", provider="api")
        publish_pact(api, acme, "1")
        (_request,) = receiver.wait_for(1)
        time.sleep(0.5)
        assert [r.path for r in receiver.received] == ["/web"]


def record(api: Any, tenant: Tenant, path: str, **body: str) -> None:
    assert api.post(path, json=body, headers=tenant.headers()).status_code == 201


def verify(api: Any, tenant: Tenant, provider_version: str, *, success: bool) -> None:
    links = api.get("/pacts/provider/api/consumer/web/latest", headers=tenant.headers()).json()["_links"]
    body = {"success": success, "providerApplicationVersion": provider_version, "buildUrl": "https://ci/1"}
    response = api.post(links["pb:publish-verification-results"]["href"], json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text


def test_every_event_reaches_a_webhook(api: Any, acme: Tenant, receiver: Receiver) -> None:
    from accord.webhooks.events import EVENT_NAMES

    create_webhook(
        api,
        acme,
        receiver.url,
        list(EVENT_NAMES),
        request={"body": {"event": "${pactbroker.eventName}", "pv": "${pactbroker.providerVersionNumber}",
                          "cv": "${pactbroker.consumerVersionNumber}", "env": "${accord.environmentName}",
                          "result": "${pactbroker.verificationResultUrl}"}},
    )  # fmt: skip
    h = acme.headers()
    # Provider versions that must verify new pacts: one deployed, one released.
    record(api, acme, "/api/deployments", service="api", version="p1", environment="prod")
    record(api, acme, "/api/releases", service="api", version="p2", environment="store")
    publish_pact(api, acme, "c1")
    # Which provider versions must verify is decided when the event fans out: verifying before that would
    # (rightly) leave the verified version out, so the verifications wait for both triggers.
    wait_until(lambda: sum(r.headers["X-Accord-Event"] == "contract_requiring_verification_published"
                           for r in receiver.received) >= 2)  # fmt: skip
    verify(api, acme, "p1", success=True)
    verify(api, acme, "p2", success=False)
    spec = {"openapi": "3.0.3", "info": {"title": "api", "version": "1"}, "paths": {"/users/{id}": {"get": {
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "a user", "content": {"application/json": {"schema": {
            "type": "object", "required": ["id", "name"],
            "properties": {"id": {"type": "integer"}, "name": {"type": "integer"}}}}}}}}}}}  # fmt: skip
    assert api.post("/api/services/api/versions/p3/spec", json=spec, headers=h).status_code == 201
    fixture = {"provider": "api", "operation": "getUser", "request": {"method": "GET", "path": "/users/1"},
               "response": {"status": 200, "body": {"id": 1}}}  # fmt: skip
    assert api.post("/api/fixtures", json=fixture, headers=h).status_code == 201

    def by_event() -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for request in receiver.received:
            grouped.setdefault(request.headers["X-Accord-Event"], []).append(body_of(request))
        return grouped

    def complete(found: dict[str, list[dict[str, Any]]]) -> bool:
        # Every event once, and the two that go out twice (one per provider version) both: deliveries run
        # concurrently, so the second of a pair may still be on its way when every name was seen.
        return (
            set(found) >= set(EVENT_NAMES)
            and len(found["contract_requiring_verification_published"]) >= 2
            and len(found["provider_verification_published"]) >= 2
        )

    grouped = wait_until(lambda: (found := by_event()) and complete(found) and found)
    assert {body["event"] for bodies in grouped.values() for body in bodies} == set(EVENT_NAMES)
    assert grouped["deployment_recorded"] == [
        {"event": "deployment_recorded", "pv": "p1", "cv": "p1", "env": "prod", "result": ""}
    ]
    # One delivery per provider version that must verify the new content, carrying that version.
    assert sorted(b["pv"] for b in grouped["contract_requiring_verification_published"]) == ["p1", "p2"]
    assert grouped["provider_verification_succeeded"][0]["pv"] == "p1"
    assert grouped["provider_verification_succeeded"][0]["cv"] == "c1"
    assert "/verification-results/" in grouped["provider_verification_succeeded"][0]["result"]
    assert grouped["provider_verification_failed"][0]["pv"] == "p2"
    assert len(grouped["provider_verification_published"]) == 2


def test_requiring_verification_skips_versions_that_verified_the_content(
    api: Any, acme: Tenant, receiver: Receiver
) -> None:
    record(api, acme, "/api/deployments", service="api", version="p1", environment="prod")
    publish_pact(api, acme, "c1")
    verify(api, acme, "p1", success=True)
    create_webhook(api, acme, receiver.url, ["contract_requiring_verification_published", "contract_content_changed"])
    publish_pact(api, acme, "c2")  # same content: verified by p1 already, and unchanged
    publish_pact(api, acme, "c3", name="Changed")
    requests = receiver.wait_for(2)
    time.sleep(0.5)
    assert sorted(r.headers["X-Accord-Event"] for r in receiver.received) == [
        "contract_content_changed",
        "contract_requiring_verification_published",
    ]
    assert len(requests) == 2


def test_test_run_returns_the_request_and_response(api: Any, acme: Tenant, receiver: Receiver) -> None:
    webhook_id = create_webhook(
        api, acme, receiver.url + "/t", ["contract_published"], request={"body": "consumer=${pactbroker.consumerName}"}
    )["id"]
    publish_pact(api, acme, "1")
    receiver.wait_for(1)
    executed = api.post(f"/api/webhooks/{webhook_id}/execute", headers=acme.headers())
    assert executed.status_code == 200, executed.text
    result = executed.json()
    assert result["success"] is True
    assert result["response_status"] == 200
    assert result["request"]["body"] == "consumer=web"
    assert result["response_body"] == '{"received": true}'
    assert receiver.wait_for(2)[1].body == b"consumer=web"
    assert receiver.received[1].headers["Idempotency-Key"].startswith("test-")


def test_redirects_are_checked_at_every_hop(api: Any, acme: Tenant) -> None:
    redirect = {"Location": "http://169.254.169.254/latest/meta-data"}
    with running_receiver(lambda index: (302, 0.0, redirect)) as receiver:
        webhook_id = create_webhook(api, acme, receiver.url, ["contract_published"])["id"]
        result = api.post(f"/api/webhooks/{webhook_id}/execute", headers=acme.headers()).json()
    assert result["success"] is False
    assert "metadata" in result["error"]


def test_a_rolled_back_change_writes_no_event(on_app: Callable[..., Any], acme: Tenant) -> None:
    from accord.composition import presence_service
    from accord.db.engine import connection, get_engine
    from accord.deployments.presence import DEPLOYED

    class Abort(Exception):
        pass

    async def deploy(abort: bool) -> int:
        try:
            async with get_engine().transaction():
                await presence_service(acme.id).record(DEPLOYED, service="api", version="1", environment="prod")
                if abort:
                    raise Abort
        except Abort:
            pass
        async with connection() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM event WHERE name = 'deployment_recorded'"))

    assert on_app(deploy, True) == 0
    assert on_app(deploy, False) == 1


def test_two_workers_never_deliver_one_attempt_twice(
    api: Any, acme: Tenant, on_app: Callable[..., Any], webhook_app: Any
) -> None:
    from accord.pact.webhooks.event_links import PactEventLinks
    from accord.settings import load_settings
    from accord.webhooks.policy import DeliveryPolicy
    from accord.webhooks.worker import WebhookWorker
    from tests.factories import owner_connection

    with running_receiver() as receiver:
        create_webhook(api, acme, receiver.url, ["deployment_recorded"])
        count = 30
        for index in range(count):
            body = {"service": "api", "version": str(index), "environment": "prod"}
            assert api.post("/api/deployments", json=body, headers=acme.headers()).status_code == 201
        # Two more workers beside the app's own, all on the same queue.
        policy = DeliveryPolicy.from_settings(
            load_settings({"DATABASE_URL": os.environ["DATABASE_URL"], "ACCORD_WEBHOOK_ALLOW_PRIVATE": "true"}),
            links=PactEventLinks(),
        )

        async def start() -> list[WebhookWorker]:
            workers = [WebhookWorker(os.environ["DATABASE_URL"], policy) for _ in range(2)]
            for worker in workers:
                worker.start()
            return workers

        async def stop(workers: list[WebhookWorker]) -> None:
            for worker in workers:
                await worker.stop()

        async def succeeded() -> int:
            async with owner_connection() as conn:
                return int(await conn.fetchval("SELECT count(*) FROM webhook_delivery WHERE status = 'succeeded'"))

        workers = on_app(start)
        try:
            wait_until(lambda: on_app(succeeded) == count, timeout=30)
        finally:
            on_app(stop, workers)
        time.sleep(0.3)
        keys = [r.headers["Idempotency-Key"] for r in receiver.received]
    assert len(keys) == count
    assert len(set(keys)) == count
