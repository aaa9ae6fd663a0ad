"""Logging in and out through the pages; `GET /` for browsers and for Pact clients."""

from __future__ import annotations

from typing import Any

from accord.accounts.roles import Role
from accord.web.pages.login import WRONG_CREDENTIALS
from tests import factories
from tests.factories import make_member
from tests.web.conftest import csrf_from_page, form, log_in, logged_in

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_the_login_page_has_labelled_inputs_and_a_csrf_token(client: Any) -> None:
    page = client.get("/login")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<label for="email">' in page.text
    assert '<label for="password">' in page.text
    assert csrf_from_page(page.text)
    assert "accord_csrf=" in page.headers["set-cookie"]


def test_logging_in_sets_a_session_cookie_and_goes_to_the_dashboard(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    user = client.blocking_portal.call(lambda: make_member(tenant_a.id, "viewer", email="vic@example.com"))
    assert user

    response = log_in(client, "Vic@Example.com", "correct horse battery staple")

    assert response.status_code == 303
    assert response.headers["location"] == "/ui/integrations"
    cookie = response.headers["set-cookie"].lower()
    assert "accord_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    account = client.get("/ui/account")
    assert account.status_code == 200
    assert "vic@example.com" in account.text
    assert "Tenant-A" in account.text


def test_login_returns_to_the_page_asked_for_but_never_off_site(client: Any, tenant_a: factories.TestTenant) -> None:
    client.blocking_portal.call(lambda: make_member(tenant_a.id, "viewer", email="vic@example.com"))

    assert (
        log_in(client, "vic@example.com", "correct horse battery staple", next_path="/ui/account").headers["location"]
        == "/ui/account"
    )
    client.cookies.clear()
    assert (
        log_in(client, "vic@example.com", "correct horse battery staple", next_path="//evil.example/x").headers[
            "location"
        ]
        == "/ui/integrations"
    )


def test_a_wrong_password_and_an_unknown_email_get_the_same_page(client: Any, tenant_a: factories.TestTenant) -> None:
    client.blocking_portal.call(lambda: make_member(tenant_a.id, "viewer", email="vic@example.com"))

    wrong_password = log_in(client, "vic@example.com", "not the password")
    unknown_email = log_in(client, "nobody@example.com", "not the password")

    for response in (wrong_password, unknown_email):
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("text/html")
        assert WRONG_CREDENTIALS in response.text
        assert "accord_session" not in response.headers.get("set-cookie", "")
    assert 'value="vic@example.com"' in wrong_password.text  # the email is kept, the password is not


def test_repeated_failures_get_the_429_page_even_with_the_right_password(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    client.blocking_portal.call(lambda: make_member(tenant_a.id, "viewer", email="vic@example.com"))
    limit = client.app.state.settings.login_failure_limit
    try:
        for _ in range(limit):
            assert log_in(client, "vic@example.com", "guess").status_code == 401

        throttled = log_in(client, "vic@example.com", "correct horse battery staple")

        assert throttled.status_code == 429
        assert int(throttled.headers["retry-after"]) > 0
        assert "Too many failed logins" in throttled.text
        assert throttled.headers["content-type"].startswith("text/html")
    finally:
        client.app.state.login_throttle.clear()


def test_a_form_without_its_csrf_token_is_refused(client: Any, tenant_a: factories.TestTenant) -> None:
    client.blocking_portal.call(lambda: make_member(tenant_a.id, "viewer", email="vic@example.com"))
    client.get("/login")

    response = client.post("/login", data={"email": "vic@example.com", "password": "correct horse battery staple"})
    forged = client.post(
        "/login", data={"csrf_token": "x" * 43, "email": "vic@example.com", "password": "correct horse battery staple"}
    )

    assert response.status_code == 403
    assert forged.status_code == 403
    assert "did not come from this site" in response.text


def test_a_logged_in_form_needs_the_sessions_token_not_the_login_cookie(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    logged_in(client, tenant_a, Role.VIEWER)

    refused = client.post("/logout", data={"csrf_token": client.cookies.get("accord_csrf")}, follow_redirects=False)
    accepted = client.post("/logout", data=form(client), follow_redirects=False)

    assert refused.status_code == 403
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/login"


def test_logging_out_ends_the_session(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.VIEWER)
    session = client.cookies.get("accord_session")
    client.post("/logout", data=form(client), follow_redirects=False)

    client.cookies.set("accord_session", session)  # a copy of the old cookie no longer works
    response = client.get("/ui/account", follow_redirects=False)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fui%2Faccount"


def test_pages_without_a_session_redirect_to_login_and_htmx_gets_401(client: Any) -> None:
    page = client.get("/ui/account", follow_redirects=False)
    fragment = client.get("/ui/account", headers={"HX-Request": "true"}, follow_redirects=False)

    assert page.status_code == 303
    assert fragment.status_code == 401
    assert fragment.headers["hx-redirect"].startswith("/login?next=")


def test_a_session_does_not_authenticate_the_api(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.OWNER)

    assert client.get("/api/me").status_code == 401
    assert client.get("/pacticipants").status_code == 401


def test_browsers_asking_for_the_root_get_the_login_page_or_the_dashboard(
    client: Any, tenant_a: factories.TestTenant
) -> None:
    anonymous = client.get("/", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=False)
    logged_in(client, tenant_a, Role.VIEWER)
    member = client.get("/", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=False)

    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/login"
    assert member.status_code == 303
    assert member.headers["location"] == "/ui/integrations"


def test_pact_clients_still_get_the_hal_index_at_the_root(client: Any, tenant_a: factories.TestTenant) -> None:
    for accept in ("application/hal+json", "*/*", "application/json", None):
        headers = tenant_a.headers() | ({"Accept": accept} if accept else {})
        response = client.get("/", headers=headers)
        assert response.status_code == 200, accept
        assert response.headers["content-type"].startswith("application/hal+json")
        assert "pb:publish-contracts" in response.json()["_links"]
    assert client.get("/", headers={"Accept": "application/hal+json"}).status_code == 401


def test_an_unknown_page_is_the_html_404_page(client: Any, tenant_a: factories.TestTenant) -> None:
    logged_in(client, tenant_a, Role.VIEWER)

    response = client.get("/ui/no-such-page/at/all")

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Page not found" in response.text
    assert client.get("/ui/keys").status_code == 403  # real pages still match first


def test_only_the_root_sends_browsers_to_the_dashboard_not_the_admin_mount(client: Any) -> None:
    admin = client.get("/admin", headers={"Accept": BROWSER_ACCEPT}, follow_redirects=False)

    assert admin.status_code == 307
    assert admin.headers["location"] == "admin/"
