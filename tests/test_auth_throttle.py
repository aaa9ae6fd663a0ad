"""Failed API-key attempts are throttled per client address (issue 13)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from litestar.testing import TestClient

from accord.tenancy.auth_throttle import FailedAuthThrottle
from tests.factories import make_tenant

BAD_KEY = {"Authorization": "Bearer acc_guessed_0000"}


@pytest.fixture
def strict_client() -> Iterator[TestClient[Any]]:
    """An app that allows 3 failures a minute per client."""
    from accord.app import create_app
    from accord.settings import load_settings

    app = create_app(load_settings({**os.environ, "ACCORD_AUTH_FAILURE_LIMIT": "3", "ACCORD_STATIC_CHECKS": "false"}))
    with TestClient(app) as client:
        yield client


def _get_me_from(client: TestClient[Any], address: str, headers: dict[str, str]) -> httpx.Response:
    """A request from another client address, on the app's own loop (where its pool lives)."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=client.app, client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://accord") as other:
            return await other.get("/api/me", headers=headers)

    return client.blocking_portal.call(call)


def test_failures_past_the_budget_get_429_with_retry_after(strict_client: TestClient[Any]) -> None:
    tenant = strict_client.blocking_portal.call(make_tenant, "throttled")
    for _ in range(3):
        assert strict_client.get("/api/me", headers=BAD_KEY).status_code == 401

    refused = strict_client.get("/api/me", headers=BAD_KEY)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"] == "urn:accord:problem:too-many-requests"
    assert 0 < int(refused.headers["retry-after"]) <= 60
    # Even a valid key from that client waits: otherwise the answer would still tell a right guess apart.
    assert strict_client.get("/api/me", headers=tenant.headers()).status_code == 429

    # Other clients, with good keys or a first bad one, are unaffected.
    assert _get_me_from(strict_client, "198.51.100.7", tenant.headers()).status_code == 200
    assert _get_me_from(strict_client, "198.51.100.8", BAD_KEY).status_code == 401


def test_missing_credentials_and_successes_do_not_count(strict_client: TestClient[Any]) -> None:
    tenant = strict_client.blocking_portal.call(make_tenant, "quiet")
    for _ in range(10):
        assert strict_client.get("/api/me").status_code == 401
        assert strict_client.get("/api/me", headers=tenant.headers()).status_code == 200


def test_the_window_ends() -> None:
    now = [1000.0]
    throttle = FailedAuthThrottle(limit=2, window_seconds=60, clock=lambda: now[0])
    scope: Any = {"client": ("203.0.113.9", 1)}
    for _ in range(3):
        throttle.record_failure(scope)
    assert throttle.retry_after(scope) == 60
    now[0] += 59.5
    assert throttle.retry_after(scope) == 1
    now[0] += 1
    assert throttle.retry_after(scope) is None
    throttle.record_failure(scope)  # a new window: one failure is within budget
    assert throttle.retry_after(scope) is None


def test_a_zero_limit_turns_throttling_off() -> None:
    throttle = FailedAuthThrottle(limit=0, window_seconds=60)
    scope: Any = {"client": ("203.0.113.9", 1)}
    for _ in range(100):
        throttle.record_failure(scope)
    assert throttle.retry_after(scope) is None
