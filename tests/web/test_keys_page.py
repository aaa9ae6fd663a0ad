"""The API keys page: admins issue (shown once) and revoke keys; other roles get 403; other tenants' keys 404."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.accounts.roles import Role
from tests import factories
from tests.factories import make_key
from tests.web.conftest import form, logged_in


def _secret_on(page: str) -> str:
    match = re.search(r'<output id="new-key" class="secret">([^<]+)</output>', page)
    assert match, "no new key on the page"
    return match.group(1)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.OWNER])
def test_admins_issue_a_key_shown_once_and_revoke_it(client: Any, tenant_a: factories.TestTenant, role: Role) -> None:
    logged_in(client, tenant_a, role)

    issued = client.post("/ui/keys", data=form(client, {"name": "deploy", "scope": "read"}))

    assert issued.status_code == 201
    assert issued.headers["cache-control"] == "no-store"
    secret = _secret_on(issued.text)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = client.get("/ui/keys")
    assert secret not in listing.text
    assert "deploy" in listing.text
    key_id = re.search(
        r'action="/ui/keys/([0-9a-f-]+)/revoke"[^>]*>\s*<input[^>]*>\s*<button[^>]*Revoke key deploy', listing.text
    )
    assert key_id

    revoked = client.post(f"/ui/keys/{key_id.group(1)}/revoke", data=form(client), follow_redirects=False)

    assert revoked.status_code == 303
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "The key was revoked." in client.get(revoked.headers["location"]).text


def test_a_key_without_a_name_gets_the_form_back_with_a_message(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)

    response = client.post("/ui/keys", data=form(client, {"name": "  ", "scope": "write"}))

    assert response.status_code == 422
    assert "Give the key a name" in response.text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewers_and_members_can_neither_see_nor_post_the_keys_page(
    client: Any, tenant_a: factories.TestTenant, role: Role
) -> None:
    logged_in(client, tenant_a, role)
    _, key_id = client.blocking_portal.call(lambda: make_key(tenant_a.id, name="ci"))

    page = client.get("/ui/keys")
    issue = client.post("/ui/keys", data=form(client, {"name": "sneaky", "scope": "admin"}))
    revoke = client.post(f"/ui/keys/{key_id}/revoke", data=form(client))

    for response in (page, issue, revoke):
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/html")
        assert "needs the admin role" in response.text
    assert client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key)).status_code == 200


def test_another_tenants_key_is_a_404_page_and_keeps_working(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.OWNER)
    secret, key_id = client.blocking_portal.call(lambda: make_key(tenant_b.id, name="b-ci"))

    response = client.post(f"/ui/keys/{key_id}/revoke", data=form(client))

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert "b-ci" not in client.get("/ui/keys").text


def test_issuing_without_the_csrf_token_is_refused(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.OWNER)

    response = client.post("/ui/keys", data={"name": "forged", "scope": "admin"})

    assert response.status_code == 403
    assert "forged" not in client.get("/ui/keys").text


def test_the_badge_token_is_shown_and_can_be_replaced(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token_pattern = re.compile(r"/badges/(bdg_[A-Za-z0-9_-]+)/pacts/")
    before = token_pattern.search(client.get("/ui/keys").text)
    assert before

    rotated = client.post("/ui/keys/badge-token/rotate", data=form(client))

    after = token_pattern.search(rotated.text)
    assert after
    assert after.group(1) != before.group(1)
    assert "The badge token was replaced." in rotated.text
