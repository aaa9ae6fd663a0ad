"""The dashboard in a real browser, without JavaScript doing the work: log in, open every page, ask can-i-deploy
through its form, approve a fixture. A screenshot of each page goes to test-artifacts/screenshots/."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, BrowserPage
from tests.conftest import run_async
from tests.factories import DEFAULT_PASSWORD, make_member

pytestmark = pytest.mark.e2e


def _interaction(consumer: str, version: str, provider: str, path: str) -> dict[str, Any]:
    return {
        "consumer": consumer,
        "consumer_version": version,
        "consumer_branch": "main",
        "provider": provider,
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {"ok": True}},
    }


def _record_history(base_url: str, tenant: Any) -> None:
    with httpx.Client(base_url=base_url, headers=tenant.headers(), timeout=30) as api:
        items = [
            _interaction("web", "1.0.0", "orders", "/orders"),
            _interaction("web", "1.0.0", "billing", "/invoices"),
            _interaction("mobile", "7", "orders", "/orders/1"),
            _interaction("orders", "2.0.0", "stock", "/stock/1"),
        ]
        assert api.post("/api/interactions/batch", json={"items": items}).json()["errors"] == 0
        for provider, version, consumer, success in (
            ("orders", "2.0.0", "web", True),
            ("billing", "3.1.0", "web", False),
        ):
            tasks = api.get(f"/api/verification/{provider}/tasks", params={"providerVersion": version}).json()["tasks"]
            task = next(t for t in tasks if t["consumer"] == consumer)
            body = {
                "provider_version": version,
                "provider_branch": "main",
                "contract": {"consumer": consumer, "sha": task["sha"]},
                "success": success,
                "results": [
                    {
                        "interaction": i["key"],
                        "success": success,
                        "mismatches": []
                        if success
                        else [{"path": "/response/body/ok", "description": "expected true but was missing"}],
                    }
                    for i in task["interactions"]
                ],
                "verified_by": {"implementation": "pact-verifier", "version": "1.2"},
            }
            assert api.post(f"/api/verification/{provider}/results", json=body).status_code == 201
        for service, version, environment in (
            ("orders", "2.0.0", "production"),
            ("web", "1.0.0", "production"),
            ("billing", "3.1.0", "staging"),
        ):
            body = {"service": service, "version": version, "environment": environment}
            assert api.post("/api/deployments", json=body).status_code in (200, 201)
        fixture = {
            "provider": "orders",
            "operation": "getOrder",
            "request": {"method": "GET", "path": "/orders/1"},
            "response": {"status": 200},
        }
        assert api.post("/api/fixtures", json=fixture).status_code == 201


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{name}.png"), full_page=True)


def test_a_member_uses_every_page(live_server: Any, live_tenant: Any, browser_page: BrowserPage) -> None:
    _record_history(live_server.base_url, live_tenant)
    email = "member@live.example"
    run_async(lambda: make_member(live_tenant.id, "member", email=email))
    page = browser_page.page
    base = live_server.base_url

    page.goto(f"{base}/ui/integrations")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name=re.compile("log ?in", re.I)).click()
    expect(page.get_by_role("heading", name="Integrations", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile(r"web\s+billing"))).to_contain_text("failed")
    _shot(page, "integrations")

    page.get_by_label("failing only").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("1 integration,")).to_be_visible()
    _shot(page, "integrations-failing")

    page.get_by_role("link", name="replayed by pact-verifier").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verification")
    _shot(page, "verification")

    page.goto(f"{base}/ui/services/orders")
    expect(page.get_by_role("heading", name="As provider")).to_be_visible()
    _shot(page, "service")

    page.goto(f"{base}/ui/matrix")
    page.get_by_label("Consumer", exact=True).fill("web")
    page.get_by_label("Provider", exact=True).fill("orders")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name=re.compile("verified"))).to_be_visible()
    _shot(page, "matrix")

    page.goto(f"{base}/ui/environments")
    page.get_by_label("Service").fill("web")
    page.get_by_label("Version").fill("1.0.0")
    page.get_by_label("To environment").select_option("staging")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_role("status")).to_contain_text("no, do not deploy")
    expect(page.get_by_role("table").first).to_contain_text("billing")
    _shot(page, "environments-can-i-deploy")

    page.goto(f"{base}/ui/network")
    expect(page.locator("svg.network")).to_be_visible()
    _shot(page, "network")

    page.goto(f"{base}/ui/fixtures")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Fixture approved.")
    page.get_by_label("Status").select_option("approved")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("/orders/1")).to_be_visible()
    _shot(page, "fixtures")

    assert browser_page.offsite_requests == []
    assert browser_page.console_errors == []
