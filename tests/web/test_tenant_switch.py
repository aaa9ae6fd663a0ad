"""One user in several tenants: the selector switches between them; a tenant they are not in is a 404."""

from __future__ import annotations

from typing import Any

from accord.accounts.roles import Role
from tests import factories
from tests.factories import make_key, make_member
from tests.web.conftest import form, logged_in


def test_a_member_of_two_tenants_switches_and_sees_each_ones_keys(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    user = logged_in(client, tenant_a, Role.ADMIN)
    client.blocking_portal.call(lambda: make_member(tenant_b.id, "viewer", email=user.email))
    client.blocking_portal.call(lambda: make_key(tenant_a.id, name="only-in-a"))

    in_a = client.get("/ui/keys")
    switched = client.post("/ui/tenant", data=form(client, {"tenant": "tenant-b"}), follow_redirects=False)
    account = client.get("/ui/account")
    keys_in_b = client.get("/ui/keys")

    assert "only-in-a" in in_a.text
    assert switched.status_code == 303
    assert switched.headers["location"] == "/ui/integrations"
    assert 'Tenant-B <span class="muted">(selected)</span>' in account.text
    assert keys_in_b.status_code == 403  # a viewer in tenant-b
    client.post("/ui/tenant", data=form(client, {"tenant": "tenant-a"}))
    assert "only-in-a" in client.get("/ui/keys").text


def test_switching_to_a_tenant_one_is_not_a_member_of_is_a_404_page(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.OWNER)

    response = client.post("/ui/tenant", data=form(client, {"tenant": "tenant-b"}))

    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'Tenant-A <span class="muted">(selected)</span>' in client.get("/ui/account").text


def test_the_layout_offers_every_tenant_and_admin_links_only_to_admins(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    user = logged_in(client, tenant_a, Role.VIEWER)
    client.blocking_portal.call(lambda: make_member(tenant_b.id, "admin", email=user.email))

    as_viewer = client.get("/ui/account").text
    client.post("/ui/tenant", data=form(client, {"tenant": "tenant-b"}))
    as_admin = client.get("/ui/account").text

    assert '<option value="tenant-b">' in as_viewer
    assert 'href="/ui/keys"' not in as_viewer
    assert 'href="/ui/keys"' in as_admin
    assert 'href="/ui/members"' in as_admin
    assert 'class="skip-link" href="#main"' in as_admin
    assert '<main id="main"' in as_admin


def test_a_form_field_out_of_bounds_gets_the_422_page_naming_the_field(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.ADMIN)

    refused = client.post("/ui/tenant", data=form(client, {"tenant": "t" * 64}), follow_redirects=False)

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("text/html")
    assert "Check these fields: tenant: " in refused.text
