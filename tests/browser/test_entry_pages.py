"""The first pages a new user opens, in a real browser, as the README and `accord serve`'s banner print them:
the admin (at the printed `/admin`, without the trailing slash) and the API docs at /schema, with nothing
reachable but this machine."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from accord.admin.users import AdminUserService
from tests.browser.conftest import BrowserPage
from tests.conftest import run_async

pytestmark = pytest.mark.e2e


def _printed_url(live_server: Any, label: str) -> str:
    """A URL from the start banner of `accord serve` (e.g. `    admin         http://127.0.0.1:8000/admin`)."""
    match = re.search(rf"^\s+{label}\s+(http://\S+)$", live_server.log.read_text(), re.MULTILINE)
    assert match, f"no {label!r} line in the start banner:\n{live_server.log.read_text()}"
    return match.group(1)


async def _create_admin_user() -> int:
    return await AdminUserService().create(username="operator", email="ops@example.com", password="horse-battery")


def test_the_printed_admin_url_shows_the_login_form_and_logs_in(live_server: Any, browser_page: BrowserPage) -> None:
    run_async(_create_admin_user)
    admin_url = _printed_url(live_server, "admin")
    assert admin_url.endswith("/admin")
    page = browser_page.page

    page.goto(admin_url)

    assert page.url.startswith(admin_url + "/")
    expect(page.get_by_text("Username")).to_be_visible()
    page.locator("input[type=text]").first.fill("operator")
    page.locator("input[type=password]").fill("horse-battery")
    page.get_by_role("button", name=re.compile("log ?in", re.I)).click()
    expect(page.get_by_text(re.compile(r"api.?key", re.I)).first).to_be_visible(timeout=15_000)
    # Before the login the admin asks its API who is logged in (401); every page file loaded (no 404).
    before_login = re.compile(r"^401 .*/admin/api/")
    assert [failed for failed in browser_page.failed_requests if not before_login.match(failed)] == []
    assert browser_page.offsite_requests == []


def test_admin_redirect_keeps_the_query_string(live_server: Any, browser_page: BrowserPage) -> None:
    browser_page.page.goto(f"{live_server.base_url}/admin?next=tables")

    assert browser_page.page.url.startswith(f"{live_server.base_url}/admin/?next=tables")


def test_the_api_docs_render_every_operation_offline(live_server: Any, browser_page: BrowserPage) -> None:
    page = browser_page.page
    docs_url = _printed_url(live_server, "API docs")

    page.goto(docs_url)

    expect(page.locator(".opblock").first).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/api/can-i-deploy", exact=True).first).to_be_visible()
    assert page.locator(".opblock").count() > 50
    assert browser_page.offsite_requests == []
    assert browser_page.failed_requests == []
    assert browser_page.console_errors == []
