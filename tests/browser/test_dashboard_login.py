"""The dashboard in a real browser: log in as a demo-like user, land on the dashboard, switch tenant, issue
and revoke a key; with the keyboard's skip link and visible focus."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, BrowserPage
from tests.conftest import run_async
from tests.factories import DEFAULT_PASSWORD, make_member, make_tenant

pytestmark = pytest.mark.e2e


async def _demo_like_user() -> None:
    demo = await make_tenant("demo")
    other = await make_tenant("second")
    await make_member(demo.id, "owner", email="demo@example.com")
    await make_member(other.id, "admin", email="demo@example.com")


def test_log_in_switch_tenant_issue_and_revoke_a_key(live_server: Any, browser_page: BrowserPage) -> None:
    run_async(_demo_like_user)
    page = browser_page.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.base_url + "/")
    expect(page).to_have_url(re.compile(r"/login$"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_login_wrong_password.png"))
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/ui/integrations$"))
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    tenant = page.get_by_label("Tenant")
    expect(tenant).to_have_value("demo")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_landing.png"))

    tenant.select_option("second")
    page.get_by_role("button", name="Switch").click()
    expect(page.get_by_label("Tenant")).to_have_value("second")
    page.get_by_role("link", name="Keys").click()
    expect(page.get_by_role("heading", name="API keys of Second")).to_be_visible()

    page.get_by_label("Name").fill("browser-ci")
    page.get_by_label("Scope").select_option("read")
    page.get_by_role("button", name="Issue key").click()
    secret = page.locator("#new-key")
    expect(secret).to_contain_text("acc_")
    page.screenshot(path=str(SCREENSHOTS / "dashboard_key_issued.png"), full_page=True)

    page.get_by_role("button", name="Revoke key browser-ci").click()
    expect(page.get_by_role("status")).to_contain_text("The key was revoked.")
    row = page.get_by_role("row").filter(has_text="browser-ci")
    expect(row).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Revoke key browser-ci")).to_have_count(0)
    assert browser_page.offsite_requests == []
    # The wrong password's page is a 401; /ui/integrations is web-pages' page (a 404 page until it is merged).
    # Every stylesheet and script loaded, and nothing else failed.
    expected = re.compile(r"^(401 .*/login|404 .*/ui/integrations)$")
    assert [failed for failed in browser_page.failed_requests if not expected.match(failed)] == []
    assert all("status of 40" in error for error in browser_page.console_errors), browser_page.console_errors
