"""The members page: owners manage roles and members (never the last owner); admins see and invite."""

from __future__ import annotations

from typing import Any

import pytest

from accord.accounts.roles import Role
from tests import factories
from tests.factories import make_member
from tests.web.conftest import form, logged_in


def _add(client: Any, tenant: factories.TestTenant, role: str, email: str) -> Any:
    return client.blocking_portal.call(lambda: make_member(tenant.id, role, email=email))


def test_an_owner_changes_a_role_and_removes_a_member(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.OWNER)
    dana = _add(client, tenant_a, "viewer", "dana@example.com")

    changed = client.post(f"/ui/members/{dana}/role", data=form(client, {"role": "admin"}), follow_redirects=False)
    page = client.get("/ui/members")

    assert changed.status_code == 303
    assert '<option value="admin" selected>admin</option>' in page.text.split("Role of dana@example.com")[1]
    removed = client.post(f"/ui/members/{dana}/remove", data=form(client), follow_redirects=False)
    assert removed.status_code == 303
    assert "dana@example.com" not in client.get("/ui/members").text


def test_the_last_owner_can_be_neither_demoted_nor_removed(client: Any, tenant_a: factories.TestTenant) -> None:
    owner = logged_in(client, tenant_a, Role.OWNER)

    demoted = client.post(f"/ui/members/{owner.user_id}/role", data=form(client, {"role": "admin"}))
    removed = client.post(f"/ui/members/{owner.user_id}/remove", data=form(client))

    assert demoted.status_code == 422
    assert "The last owner can" in demoted.text
    assert removed.status_code == 422
    assert "The last owner can" in removed.text
    second = _add(client, tenant_a, "owner", "second@example.com")
    assert client.post(f"/ui/members/{owner.user_id}/role", data=form(client, {"role": "admin"})).status_code == 200
    # Now `owner` is an admin: managing members is no longer theirs to do.
    assert client.post(f"/ui/members/{second}/remove", data=form(client)).status_code == 403


def test_admins_see_members_and_invite_but_do_not_manage_them(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    dana = _add(client, tenant_a, "viewer", "dana@example.com")

    page = client.get("/ui/members")
    role = client.post(f"/ui/members/{dana}/role", data=form(client, {"role": "owner"}))
    remove = client.post(f"/ui/members/{dana}/remove", data=form(client))
    invite_owner = client.post("/ui/members/invite", data=form(client, {"email": "x@example.com", "role": "owner"}))
    invite_member = client.post("/ui/members/invite", data=form(client, {"email": "y@example.com", "role": "member"}))

    assert page.status_code == 200
    assert "dana@example.com" in page.text
    assert role.status_code == 403
    assert remove.status_code == 403
    assert invite_owner.status_code == 403
    assert "Only an owner can invite another owner." in invite_owner.text
    assert invite_member.status_code == 201
    assert "/ui/invitations/accept?token=" in invite_member.text


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewers_and_members_get_403_on_the_members_page(
    client: Any, tenant_a: factories.TestTenant, role: Role
) -> None:
    logged_in(client, tenant_a, role)

    assert client.get("/ui/members").status_code == 403
    invite = client.post("/ui/members/invite", data=form(client, {"email": "z@example.com", "role": "viewer"}))
    assert invite.status_code == 403


def test_another_tenants_member_is_a_404_page(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.OWNER)
    other = _add(client, tenant_b, "viewer", "bob@example.com")

    assert client.post(f"/ui/members/{other}/role", data=form(client, {"role": "owner"})).status_code == 404
    assert client.post(f"/ui/members/{other}/remove", data=form(client)).status_code == 404
    assert "bob@example.com" not in client.get("/ui/members").text
