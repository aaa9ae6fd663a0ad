"""GET /metrics (issue 14): Prometheus text, requests by route template, the pool, the queues, slow queries;
loopback only without a token, the token only with one; summed over workers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from accord.db import slow_queries
from tests.conftest import LiveServer, run_async, running_server
from tests.factories import make_tenant
from tests.test_static_checks import SPEC, order_interaction, record


def _app_client(**env: str) -> TestClient[Any]:
    from accord.app import create_app
    from accord.settings import load_settings

    return TestClient(create_app(load_settings({**os.environ, **env})))


@pytest.fixture
def quiet_client() -> Iterator[TestClient[Any]]:
    """No background workers: queued static checks stay queued."""
    with _app_client(ACCORD_STATIC_CHECKS="false", ACCORD_WEBHOOKS="false") as client:
        yield client


def scrape_from(client: TestClient[Any], address: str, headers: dict[str, str] | None = None) -> httpx.Response:
    """GET /metrics from another client address, on the app's own loop (where its pool lives)."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://accord") as other:
            return await other.get("/metrics", headers=headers or {})

    return client.blocking_portal.call(call)


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of the one sample of `name` with (at least) these labels, or None."""
    for line in text.splitlines():
        if not line.startswith(name + "{") and line.split(" ")[0] != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.rsplit(" ", 1)[0]))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_loopback_reads_the_metrics_by_route_template(quiet_client: TestClient[Any]) -> None:
    route = "/api/services/{name}"
    # The process's counters also hold other tests' requests: compare with a scrape before.
    before = scrape_from(quiet_client, "127.0.0.1").text
    tenant = quiet_client.blocking_portal.call(make_tenant, "metrics")
    for name in ("alpha", "beta", "gamma"):
        assert quiet_client.post("/api/services", json={"name": name}, headers=tenant.headers()).status_code == 201
        quiet_client.get(f"/api/services/{name}", headers=tenant.headers())
    quiet_client.get("/api/services/nobody-here", headers=tenant.headers())

    response = scrape_from(quiet_client, "127.0.0.1")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    def grew(name: str, **labels: str) -> float:
        return (sample(text, name, **labels) or 0) - (sample(before, name, **labels) or 0)

    assert grew("accord_http_requests_total", route=route, method="GET", status="200") == 3
    assert grew("accord_http_requests_total", route=route, method="GET", status="404") == 1
    assert grew("accord_http_request_duration_seconds_count", route=route, method="GET") == 4
    assert grew("accord_http_requests_total", route="/metrics", method="GET", status="200") == 1
    # Raw paths never become label values.
    assert "alpha" not in text
    assert "nobody-here" not in text
    assert sample(text, "accord_db_pool_connections", state="open") is not None
    assert sample(text, "accord_db_pool_connections", state="in_use") is not None
    assert sample(text, "accord_db_pool_max_connections") == 10
    assert sample(text, "accord_queue_stats_available") == 1
    assert sample(text, "accord_queue_depth", queue="webhook_deliveries") == 0


def test_queued_static_checks_show_their_depth_and_age(quiet_client: TestClient[Any]) -> None:
    tenant = quiet_client.blocking_portal.call(make_tenant, "queues")
    response = quiet_client.post("/api/services/orders/versions/1/spec", json=SPEC, headers=tenant.headers())
    assert response.status_code == 201, response.text
    record(quiet_client, tenant, order_interaction("web", "1", {"id": 42, "total": 1}))
    # Reading checks derives the pending contract, which queues its check (no worker takes it here).
    assert [c["status"] for c in quiet_client.get("/api/static-checks", headers=tenant.headers()).json()["items"]] == [
        "pending"
    ]
    text = scrape_from(quiet_client, "::1").text
    assert sample(text, "accord_queue_depth", queue="static_checks") == 1
    age = sample(text, "accord_queue_oldest_age_seconds", queue="static_checks")
    assert age is not None
    assert 0 <= age < 60


def test_other_clients_are_refused_without_a_token(quiet_client: TestClient[Any]) -> None:
    response = scrape_from(quiet_client, "10.1.2.3")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:accord:problem:forbidden"
    assert "ACCORD_METRICS_TOKEN" in response.json()["detail"]


def test_with_a_token_only_its_bearers_read_the_metrics() -> None:
    with _app_client(ACCORD_METRICS_TOKEN="scrape-me-please", ACCORD_STATIC_CHECKS="false") as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            for address in ("127.0.0.1", "10.1.2.3"):  # loopback too: the token is the rule once set
                refused = scrape_from(client, address, headers)
                assert refused.status_code == 401
                assert refused.json()["type"] == "urn:accord:problem:unauthenticated"
        allowed = scrape_from(client, "10.1.2.3", {"Authorization": "Bearer scrape-me-please"})
        assert allowed.status_code == 200
        assert "accord_http_requests_total" in allowed.text


def test_metrics_are_not_an_api_operation(client: Any) -> None:
    assert "/metrics" not in client.get("/schema/openapi.json").json()["paths"]


def test_slow_statements_are_counted_and_logged_by_name_without_values(
    quiet_client: TestClient[Any], caplog: pytest.LogCaptureFixture
) -> None:
    tenant = quiet_client.blocking_portal.call(make_tenant, "slow")
    slow_queries.set_threshold(0.000001)  # every statement is "slow"
    try:
        with caplog.at_level("WARNING", logger="accord.db.slow_queries"):
            quiet_client.get("/api/services/very-private-name", headers=tenant.headers())
    finally:
        slow_queries.set_threshold(500)
    messages = [record.getMessage() for record in caplog.records if record.name == "accord.db.slow_queries"]
    assert messages, caplog.text
    assert all(message.startswith("slow query: ") and " ms" in message for message in messages)
    assert any("repository." in message for message in messages), messages
    assert not any("very-private-name" in message for message in messages)
    text = scrape_from(quiet_client, "127.0.0.1").text
    slow = [line for line in text.splitlines() if line.startswith("accord_db_slow_queries_total{")]
    assert slow
    assert all("very-private-name" not in line for line in slow)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with running_server(tmp_path_factory.mktemp("metrics-workers") / "server.log", ACCORD_WORKERS="2") as server:
        yield server


def test_two_workers_report_the_sum_of_their_requests(two_workers: LiveServer) -> None:
    tenant = run_async(make_tenant, "workers")
    with httpx.Client(base_url=two_workers.base_url, timeout=10) as http:
        # New connections, so that both workers take some.
        for _ in range(30):
            assert httpx.get(f"{two_workers.base_url}/api/me", headers=tenant.headers(), timeout=10).status_code == 200
        scrapes = [http.get("/metrics").text for _ in range(6)]
    # Whichever worker answers the scrape, it reports both workers' requests...
    assert {
        sample(text, "accord_http_requests_total", route="/api/me", method="GET", status="200") for text in scrapes
    } == {30.0}
    # ...and both pools (each worker samples its own at start-up: 10 connections at most, each).
    assert sample(scrapes[-1], "accord_db_pool_max_connections") == 20
