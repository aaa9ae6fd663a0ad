"""The piccolo_admin site at /admin: its own session login and CSRF, and the rules Accord adds to it."""

from __future__ import annotations

import asyncio
import datetime
import os
import time
from collections.abc import Callable
from typing import Any
from uuid import UUID

import asyncpg
import pytest

from accord.admin.users import AdminUserService
from tests.factories import make_key

# piccolo_api warns on every login when the admin is not in production mode (Secure cookies off), which is
# how the test app is built; the warning is expected here, not a failure.
pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")

ADMIN_USERNAME = "operator"
ADMIN_PASSWORD = "correct-horse-battery"
ISSUE_KEY_FORM = "/admin/api/forms/issue-an-api-key/"


async def _create_admin_user() -> int:
    return await AdminUserService().create(
        username=ADMIN_USERNAME, email="operator@example.com", password=ADMIN_PASSWORD
    )


def _csrf_headers(client: Any) -> dict[str, str]:
    """What the admin UI does: GET a page to receive the `csrftoken` cookie, echo it in `X-CSRFToken`."""
    if "csrftoken" not in client.cookies:
        assert client.get("/admin/").status_code == 200
    return {"X-CSRFToken": client.cookies["csrftoken"]}


def _log_in(client: Any, password: str = ADMIN_PASSWORD) -> Any:
    return client.post(
        "/admin/public/login/",
        json={"username": ADMIN_USERNAME, "password": password},
        headers=_csrf_headers(client),
    )


@pytest.fixture
def admin(client: Any, run: Callable[..., Any]) -> dict[str, str]:
    """A logged-in admin session on `client`; returns the headers unsafe admin requests need."""
    run(_create_admin_user)
    response = _log_in(client)
    assert response.status_code == 200, response.text
    return _csrf_headers(client)


async def _stored_key(key_id: UUID) -> asyncpg.Record:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        row = await connection.fetchrow("SELECT name, key_hash, revoked_at FROM api_key WHERE id = $1", key_id)
    finally:
        await connection.close()
    assert row is not None
    return row


def _me_status(client: Any, key: str) -> int:
    return int(client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code)


def _wait_until(condition: Callable[[], bool], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"still false after {seconds} s"
        time.sleep(0.05)


def test_admin_page_is_served_without_an_api_key(client: Any) -> None:
    response = client.get("/admin/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<html" in response.text.lower()


def test_admin_api_needs_a_session(client: Any) -> None:
    response = client.get("/admin/api/tables/")

    assert response.status_code == 401
    assert response.json() == {"error": "Auth failed"}


def test_an_api_key_does_not_open_the_admin_api(client: Any, tenant_a: Any) -> None:
    assert client.get("/admin/api/tables/", headers=tenant_a.headers()).status_code == 401


def test_login_opens_the_table_list(client: Any, admin: dict[str, str]) -> None:
    response = client.get("/admin/api/tables/")

    assert response.status_code == 200
    assert {"tenant", "api_key"} <= set(response.json())


def test_login_with_a_wrong_password_is_refused(client: Any, run: Callable[..., Any]) -> None:
    run(_create_admin_user)

    response = _log_in(client, password="not-the-password")

    assert response.status_code == 401
    assert client.get("/admin/api/tables/").status_code == 401


def test_login_without_the_csrf_header_is_refused(client: Any, run: Callable[..., Any]) -> None:
    run(_create_admin_user)
    client.get("/admin/")

    response = client.post("/admin/public/login/", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})

    assert response.status_code == 403
    assert client.get("/admin/api/tables/").status_code == 401


def test_editing_a_key_keeps_its_hash(
    client: Any, run: Callable[..., Any], tenant_a: Any, admin: dict[str, str]
) -> None:
    secret, key_id = run(make_key, tenant_a.id)
    before = asyncio.run(_stored_key(key_id))

    response = client.patch(
        f"/admin/api/tables/api_key/{key_id}/",
        json={"name": "renamed", "key_hash": "0" * 64},
        headers=admin,
    )

    assert response.status_code == 200, response.text
    after = asyncio.run(_stored_key(key_id))
    assert after["name"] == "renamed"
    assert after["key_hash"] == before["key_hash"]
    me = client.get("/api/me", headers=tenant_a.headers(secret))
    assert me.status_code == 200
    assert me.json()["key"]["name"] == "renamed"


def test_creating_a_key_row_in_the_admin_is_refused(client: Any, tenant_a: Any, admin: dict[str, str]) -> None:
    response = client.post(
        "/admin/api/tables/api_key/",
        json={
            "tenant": str(tenant_a.id),
            "name": "sneaky",
            "prefix": "acc_sneaky00",
            "key_hash": "1" * 64,
            "scopes": ["read"],
        },
        headers=admin,
    )

    assert response.status_code == 405, response.text
    assert "Issue an API key" in response.text


def test_issue_key_form_shows_a_working_secret_once(client: Any, tenant_a: Any, admin: dict[str, str]) -> None:
    response = client.post(
        ISSUE_KEY_FORM, json={"tenant_slug": "tenant-a", "name": "ci", "scopes": "read"}, headers=admin
    )

    assert response.status_code == 200, response.text
    secret = response.json()["custom_form_success"].split()[-1]
    assert secret.startswith("acc_")
    me = client.get("/api/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200
    assert me.json()["tenant"]["slug"] == "tenant-a"
    assert me.json()["key"]["name"] == "ci"
    assert me.json()["key"]["scopes"] == ["read"]


def test_issue_key_form_reports_an_unknown_tenant(client: Any, admin: dict[str, str]) -> None:
    response = client.post(ISSUE_KEY_FORM, json={"tenant_slug": "nobody", "name": "ci"}, headers=admin)

    assert response.status_code == 422
    assert "custom_form_error" in response.json()


def test_revoking_a_key_in_the_admin_stops_it_at_once(
    client: Any, run: Callable[..., Any], tenant_a: Any, admin: dict[str, str]
) -> None:
    secret, key_id = run(make_key, tenant_a.id)
    # The listener flushes the cache when it (re)connects; wait for it so only the NOTIFY can evict the key.
    _wait_until(client.app.state.key_listener.connected.is_set, seconds=5.0)
    assert _me_status(client, secret) == 200  # now cached for the cache's TTL (30 s)

    revoked_at = datetime.datetime.now(tz=datetime.UTC).isoformat()
    response = client.patch(f"/admin/api/tables/api_key/{key_id}/", json={"revoked_at": revoked_at}, headers=admin)

    assert response.status_code == 200, response.text
    assert asyncio.run(_stored_key(key_id))["revoked_at"] is not None
    # The trigger's NOTIFY reaches the app's listener asynchronously; well under the TTL is "at once".
    _wait_until(lambda: _me_status(client, secret) == 401, seconds=2.0)
    assert _me_status(client, tenant_a.admin_key) == 200


def test_admin_without_the_trailing_slash_redirects_to_it(client: Any) -> None:
    # Under `/admin` the page's relative script URLs resolve to `/assets/...` (404: a blank page).
    response = client.get("/admin?next=tables", follow_redirects=False)

    assert response.status_code == 307
    assert response.headers["location"] == "admin/?next=tables"  # relative: keeps a proxy's path prefix
    assert client.get("/admin").url.path == "/admin/"
