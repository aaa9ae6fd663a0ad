"""A form value the server refuses gets the 422 error page in the dashboard's layout, naming the field."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, BrowserPage
from tests.conftest import run_async
from tests.factories import DEFAULT_PASSWORD, make_member, make_tenant

pytestmark = pytest.mark.e2e


async def _member() -> None:
    await make_member((await make_tenant("demo")).id, "owner", email="demo@example.com")


def test_a_refused_form_value_gets_the_error_page_naming_the_field(live_server: Any, browser_page: BrowserPage) -> None:
    run_async(_member)
    page = browser_page.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.base_url + "/login")
    page.get_by_label("Email").fill("demo@example.com")
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    tenant = page.get_by_label("Tenant")
    expect(tenant).to_have_value("demo")

    # What a tampered or scripted form could send: a tenant slug longer than any tenant can have.
    tenant.evaluate("select => select.add(new Option('x'.repeat(64), 'x'.repeat(64), true, true))")
    page.get_by_role("button", name="Switch").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Check these fields: tenant:")
    expect(page.get_by_text("Error 422")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "form_error_422.png"), full_page=True)
