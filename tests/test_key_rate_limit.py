"""Per-key request rate limit (issue 14): a token bucket per API key, 429 `rate-limited` with Retry-After."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from litestar.testing import TestClient

from accord.settings import load_settings
from accord.tenancy.key_rate_limit import KeyRateLimit
from tests.factories import make_key, make_tenant


@pytest.fixture
def limited_client() -> Iterator[TestClient[Any]]:
    """Two requests a second per key, bursts of three."""
    from accord.app import create_app

    settings = load_settings(
        {**os.environ, "ACCORD_KEY_RATE_LIMIT": "2", "ACCORD_KEY_RATE_BURST": "3", "ACCORD_STATIC_CHECKS": "false"}
    )
    with TestClient(create_app(settings)) as client:
        yield client


def test_a_key_past_its_burst_gets_429_with_retry_after(limited_client: TestClient[Any]) -> None:
    tenant = limited_client.blocking_portal.call(make_tenant, "limited")
    statuses = [limited_client.get("/api/me", headers=tenant.headers()).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = limited_client.get("/api/me", headers=tenant.headers())
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "1"
    problem = refused.json()
    assert problem["type"] == "urn:accord:problem:rate-limited"
    assert problem["status"] == 429
    # Another key of the same tenant has a bucket of its own; public routes have none.
    assert limited_client.get("/api/me", headers=tenant.headers(tenant.read_key)).status_code == 200
    assert limited_client.get("/health").status_code == 200


def test_writes_count_too_and_nothing_is_written_when_refused(limited_client: TestClient[Any]) -> None:
    tenant = limited_client.blocking_portal.call(make_tenant, "limited-writes")
    key, _ = limited_client.blocking_portal.call(make_key, tenant.id)
    headers = {"Authorization": f"Bearer {key}"}
    statuses = [
        limited_client.post("/api/services", json={"name": f"svc-{n}"}, headers=headers).status_code for n in range(4)
    ]
    assert statuses == [201, 201, 201, 429]
    names = [item["name"] for item in limited_client.get("/api/services", headers=tenant.headers()).json()["items"]]
    assert sorted(names) == ["svc-0", "svc-1", "svc-2"]


def test_the_bucket_refills_at_the_rate() -> None:
    now = [0.0]
    limit = KeyRateLimit(per_second=2, burst=2, clock=lambda: now[0])
    key = uuid4()
    assert [limit.retry_after(key) for _ in range(3)] == [None, None, 1]
    now[0] = 0.5  # one request's worth back
    assert [limit.retry_after(key) for _ in range(2)] == [None, 1]
    now[0] = 10.0  # never more than the burst
    assert [limit.retry_after(key) for _ in range(3)] == [None, None, 1]


def test_a_slow_rate_asks_for_a_longer_wait() -> None:
    limit = KeyRateLimit(per_second=0.1, burst=1, clock=lambda: 0.0)
    key = uuid4()
    assert limit.retry_after(key) is None
    assert limit.retry_after(key) == 10


def test_off_by_default_and_burst_defaults_to_twice_the_rate() -> None:
    assert load_settings({}).key_rate_limit == 0
    assert load_settings({"ACCORD_KEY_RATE_LIMIT": "5"}).key_rate_burst == 10
    assert load_settings({"ACCORD_KEY_RATE_LIMIT": "0.2"}).key_rate_burst == 1


def test_the_session_app_has_no_limit(app: Any) -> None:
    assert app.state.key_rate_limit is None
