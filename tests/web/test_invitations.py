"""Invitations: a one-time link, accepted once (even concurrently), before it expires."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from accord.accounts.roles import Role
from accord.errors import AppError
from accord.invitations.schemas import InvitationAccept
from accord.invitations.service import InvitationAcceptance
from tests import factories
from tests.factories import make_member
from tests.web.conftest import csrf_from_page, form, logged_in


def _invite(client: Any, email: str, role: str = "member") -> str:
    page = client.post("/ui/members/invite", data=form(client, {"email": email, "role": role}))
    assert page.status_code == 201, page.text
    match = re.search(r"/ui/invitations/accept\?token=([A-Za-z0-9_-]+)", page.text)
    assert match
    return match.group(1)


def _accept(client: Any, token: str, **fields: str) -> Any:
    page = client.get("/ui/invitations/accept", params={"token": token})
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_from_page(page.text), "token": token, **fields}
    return client.post("/ui/invitations/accept", data=data, follow_redirects=False)


def test_a_new_person_accepts_sets_a_password_and_arrives_logged_in(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token = _invite(client, "New.Person@Example.com", "member")
    client.cookies.clear()

    page = client.get("/ui/invitations/accept", params={"token": token})
    accepted = _accept(client, token, display_name="New Person", password="a long new password")

    assert "Join Tenant-A" in page.text
    assert "new.person@example.com" in page.text
    assert '<label for="display-name">' in page.text
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/ui/integrations"
    account = client.get("/ui/account")
    assert "new.person@example.com" in account.text
    assert "member" in account.text
    again = client.get("/ui/invitations/accept", params={"token": token})
    assert again.status_code == 409
    assert "already been used" in again.text


def test_an_existing_user_joins_with_their_password_and_a_wrong_one_keeps_the_link(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    client.blocking_portal.call(lambda: make_member(tenant_b.id, "owner", email="bo@example.com"))
    logged_in(client, tenant_a, Role.OWNER)
    token = _invite(client, "bo@example.com", "viewer")
    client.cookies.clear()

    page = client.get("/ui/invitations/accept", params={"token": token})
    wrong = _accept(client, token, password="not her password")
    right = _accept(client, token, password=factories.DEFAULT_PASSWORD)

    assert "You already have an account" in page.text
    assert wrong.status_code == 422
    assert "That is not the password" in wrong.text
    assert right.status_code == 303
    account = client.get("/ui/account").text
    assert "Tenant-A" in account
    assert "Tenant-B" in account


def test_an_expired_or_unknown_link_gets_a_clear_page(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token = _invite(client, "late@example.com")

    async def expire() -> None:
        async with factories.owner_connection() as conn:
            await conn.execute("UPDATE invitation SET expires_at = now() - interval '1 second'")

    client.blocking_portal.call(expire)
    client.cookies.clear()

    expired = client.get("/ui/invitations/accept", params={"token": token})
    unknown = client.get("/ui/invitations/accept", params={"token": "not-a-token"})

    assert expired.status_code == 422
    assert "This invitation has expired" in expired.text
    assert unknown.status_code == 404
    assert "This invitation link is not valid" in unknown.text


def test_two_concurrent_acceptances_of_one_link_make_one_member(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token = _invite(client, "twice@example.com", "viewer")

    async def accept_twice() -> list[Any]:
        data = InvitationAccept(password="a long new password", display_name="Twice")
        return await asyncio.gather(
            *(InvitationAcceptance().accept(token, data) for _ in range(2)), return_exceptions=True
        )

    results = client.blocking_portal.call(accept_twice)

    successes = [result for result in results if isinstance(result, tuple)]
    failures = [result for result in results if isinstance(result, AppError)]
    assert len(successes) == 1
    assert len(failures) == 1
    assert failures[0].status_code == 409
    assert client.get("/ui/members").text.count("twice@example.com") == 1


def test_an_admin_withdraws_an_invitation(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token = _invite(client, "gone@example.com")
    invitation_id = re.search(r"/ui/members/invitations/([0-9a-f-]+)/withdraw", client.get("/ui/members").text)
    assert invitation_id

    withdrawn = client.post(f"/ui/members/invitations/{invitation_id.group(1)}/withdraw", data=form(client))

    assert withdrawn.status_code == 200
    assert "Invitation withdrawn." in withdrawn.text
    assert client.get("/ui/invitations/accept", params={"token": token}).status_code == 404


def test_accepting_without_the_csrf_token_is_refused(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.ADMIN)
    token = _invite(client, "csrf@example.com")
    client.cookies.clear()

    response = client.post(
        "/ui/invitations/accept", data={"token": token, "display_name": "X", "password": "a long new password"}
    )

    assert response.status_code == 403
    assert client.get("/ui/invitations/accept", params={"token": token}).status_code == 200


def test_another_tenants_invitation_cannot_be_withdrawn(
    client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant
) -> None:
    logged_in(client, tenant_b, Role.ADMIN)
    token = _invite(client, "bee@example.com")
    invitation_id = re.search(r"/ui/members/invitations/([0-9a-f-]+)/withdraw", client.get("/ui/members").text)
    assert invitation_id
    logged_in(client, tenant_a, Role.OWNER)

    response = client.post(f"/ui/members/invitations/{invitation_id.group(1)}/withdraw", data=form(client))

    assert response.status_code == 404
    assert "bee@example.com" not in client.get("/ui/members").text
    assert client.get("/ui/invitations/accept", params={"token": token}).status_code == 200
