"""The admin login limit (piccolo_api's, 20 attempts per 5 minutes per client) keys on the address uvicorn
resolved: X-Forwarded-For counts only from a FORWARDED_ALLOW_IPS proxy, so it cannot be escaped by forging it
(issue 13)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from accord.admin.users import AdminUserService
from tests.conftest import LiveServer, serve_accord

pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")

LOGIN_LIMIT = 20


def _failed_logins(base_url: str, forwarded_for: list[str]) -> list[int]:
    """One wrong-password login per X-Forwarded-For value, as the admin UI posts it; the statuses."""
    asyncio.run(AdminUserService().create(username="operator", email="op@example.com", password="right-horse-1"))
    with httpx.Client(base_url=base_url) as client:
        assert client.get("/admin/").status_code == 200
        csrf = {"X-CSRFToken": client.cookies["csrftoken"]}
        return [
            client.post(
                "/admin/public/login/",
                json={"username": "operator", "password": "wrong"},
                headers={**csrf, "X-Forwarded-For": address},
            ).status_code
            for address in forwarded_for
        ]


@pytest.fixture
def server_behind_no_proxy(tmp_path: Path) -> Iterator[LiveServer]:
    with serve_accord(tmp_path) as server:
        yield server


@pytest.fixture
def server_behind_a_loopback_proxy(tmp_path: Path) -> Iterator[LiveServer]:
    with serve_accord(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1") as server:
        yield server


def test_forged_forwarded_for_does_not_reset_the_limit(server_behind_no_proxy: LiveServer) -> None:
    forged = [f"203.0.113.{n}" for n in range(LOGIN_LIMIT + 1)]
    statuses = _failed_logins(server_behind_no_proxy.base_url, forged)
    assert statuses[:LOGIN_LIMIT] == [401] * LOGIN_LIMIT
    assert statuses[LOGIN_LIMIT] == 429


def test_behind_a_trusted_proxy_the_client_it_names_is_limited(server_behind_a_loopback_proxy: LiveServer) -> None:
    # The proxy appends the address it saw; what the client forged before it is not trusted.
    forged_by_one_client = [f"203.0.113.{n}, 198.51.100.1" for n in range(LOGIN_LIMIT + 1)]
    statuses = _failed_logins(server_behind_a_loopback_proxy.base_url, forged_by_one_client)
    assert statuses[LOGIN_LIMIT] == 429
