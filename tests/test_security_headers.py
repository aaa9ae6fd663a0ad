"""Security headers on every kind of response (issue 13): Accord's routes, Litestar's own answers, the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.test_admin import ISSUE_KEY_FORM, _create_admin_user, _csrf_headers, _log_in

pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")


def _assert_hardened(response: Any) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["content-security-policy"] == "frame-ancestors 'none'"


def test_every_kind_of_response_is_hardened(client: Any, tenant_a: Any) -> None:
    responses = [
        client.get("/api/me", headers=tenant_a.headers()),  # a route
        client.get("/api/me"),  # 401 from the tenant middleware
        client.get("/no/such/path"),  # Litestar's 404
        client.get("/health"),  # public
        client.get("/schema"),  # the docs page (HTML)
        client.get("/admin/"),  # the mounted admin (HTML)
    ]
    for response in responses:
        _assert_hardened(response)
    assert "no-store" not in responses[0].headers.get("cache-control", "")


def test_issuing_a_key_is_not_cacheable(client: Any, tenant_a: Any) -> None:
    issued = client.post("/api/keys", json={"name": "ci", "scopes": ["read"]}, headers=tenant_a.headers())
    assert issued.status_code == 201
    assert issued.headers["cache-control"] == "no-store"
    _assert_hardened(issued)
    listed = client.get("/api/keys", headers=tenant_a.headers())
    assert "cache-control" not in listed.headers


def test_the_admin_issue_key_form_is_not_cacheable(client: Any, tenant_a: Any, run: Callable[..., Any]) -> None:
    run(_create_admin_user)
    assert _log_in(client).status_code == 200
    issued = client.post(
        ISSUE_KEY_FORM, json={"tenant_slug": "tenant-a", "name": "ci", "scopes": "read"}, headers=_csrf_headers(client)
    )
    assert issued.status_code == 200, issued.text
    assert "acc_" in issued.text
    assert issued.headers.get_list("cache-control") == ["no-store"]
    _assert_hardened(issued)
