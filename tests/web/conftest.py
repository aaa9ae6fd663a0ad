"""Page tests: log a TestClient in as a member of a tenant with a role, and post forms with the CSRF token.

`logged_in(client, tenant, role)` makes a user with that role in the tenant (a new one per call, unless
`email` names an existing one), logs the client in through the login form and returns the user; then
`form(client, data)` adds the session's CSRF token to a form body. `page_client(role)` does both for
tenant_a.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import pytest

from accord.accounts.roles import Role
from accord.accounts.tokens import token_hash
from accord.tenancy.session_store import find_session
from accord.web.cookies import SESSION_COOKIE
from tests import factories
from tests.factories import DEFAULT_PASSWORD, make_member

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class WebUser:
    user_id: UUID
    email: str
    password: str
    role: Role


_counter = iter(range(1, 1_000_000))


def csrf_from_page(html: str) -> str:
    match = _CSRF_FIELD.search(html)
    assert match, "the page has no form with a csrf_token"
    return match.group(1)


def log_in(client: Any, email: str, password: str, *, next_path: str | None = None) -> Any:
    """Submit the login form as a browser would (GET it for its token, then POST it); returns the response."""
    page = client.get("/login")
    data = {"csrf_token": csrf_from_page(page.text), "email": email, "password": password}
    if next_path:
        data["next"] = next_path
    return client.post("/login", data=data, follow_redirects=False)


def logged_in(client: Any, tenant: factories.TestTenant, role: Role | str, *, email: str | None = None) -> WebUser:
    role = Role(role)
    email = email or f"{role.value}{next(_counter)}@{tenant.slug}.example"
    user_id = client.blocking_portal.call(lambda: make_member(tenant.id, role.value, email=email))
    client.cookies.clear()
    response = log_in(client, email, DEFAULT_PASSWORD)
    assert response.status_code == 303, response.text
    return WebUser(user_id=user_id, email=email, password=DEFAULT_PASSWORD, role=role)


def session_csrf(client: Any) -> str:
    token = client.cookies.get(SESSION_COOKIE)
    assert token, "not logged in"
    record = client.blocking_portal.call(find_session, token_hash(token))
    assert record is not None
    return str(record.csrf_token)


def form(client: Any, data: dict[str, Any] | None = None) -> dict[str, Any]:
    """A form body with the logged-in session's CSRF token."""
    return {"csrf_token": session_csrf(client), **(data or {})}


@pytest.fixture
def page_client(client: Any, tenant_a: factories.TestTenant) -> Callable[[Role | str], WebUser]:
    """`page_client(Role.ADMIN)` logs `client` in as a new admin of tenant_a (call again to switch user)."""

    def log_in_as(role: Role | str) -> WebUser:
        return logged_in(client, tenant_a, role)

    return log_in_as
