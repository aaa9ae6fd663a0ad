"""The read pages through the HTTP client: every role reads every page; bad input is a 422 page; another tenant's
names and ids are 404 pages."""

from __future__ import annotations

from typing import Any

import pytest

from accord.accounts.roles import Role
from tests.dashboard.story import record_story
from tests.factories import self_verification
from tests.test_static_checks import SPEC, order_interaction, wait_for_checks
from tests.web.conftest import logged_in


def static_check_story(client: Any, tenant: Any) -> dict[str, Any]:
    """A failed static check of mobile's contract against orders' spec; returns the check."""
    spec = client.post(
        "/api/services/orders/versions/1/spec", json=SPEC, params=self_verification(), headers=tenant.headers()
    )
    assert spec.status_code == 201, spec.text
    response = client.post(
        "/api/interactions/batch",
        json={"items": [order_interaction("mobile", "8", {"id": 42, "total": "12.5"})]},
        headers=tenant.headers(),
    )
    assert response.json()["errors"] == 0, response.text
    wait_for_checks(client, tenant.headers(), expected=3)  # with the story's two contracts with orders
    checks = client.get("/api/static-checks", params={"consumer": "mobile"}, headers=tenant.headers()).json()["items"]
    for check in checks:
        detail = client.get(f"/api/static-checks/{check['id']}", headers=tenant.headers()).json()
        if "/response/body/total" in str(detail["results"]):
            return dict(detail)
    raise AssertionError(f"no check of mobile 8's contract among {checks}")


def verification_id(client: Any, tenant: Any) -> str:
    response = client.get("/api/verification/orders/results", headers=tenant.headers())
    assert response.status_code == 200, response.text
    return str(response.json()["items"][0]["id"])


def spec_versions(client: Any, tenant: Any) -> None:
    changed = {
        **SPEC,
        "components": {"schemas": {"Order": {**SPEC["components"]["schemas"]["Order"], "required": ["id"]}}},
    }
    for version, document in (("1", SPEC), ("2", changed)):
        response = client.post(f"/api/services/orders/versions/{version}/spec", json=document, headers=tenant.headers())
        assert response.status_code in (200, 201), response.text


@pytest.fixture
def story(client: Any, tenant_a: Any) -> None:
    record_story(client, tenant_a)


PAGES = [
    ("/ui/integrations", ["web", "billing", "orders", "Main branch", "production", "replayed by pact-verifier"]),
    ("/ui/integrations?failing=true", ["1 integration", "failed"]),
    ("/ui/integrations?q=mob&environment=production", ["mobile", "unverified"]),
    ("/ui/services", ["orders", "billing", "mobile"]),
    ("/ui/services/orders", ["As provider", "2.0.0", "production", "Timeline", "deployed"]),
    ("/ui/matrix", ["Consumer", "Provider"]),
    ("/ui/matrix?consumer=web&provider=orders", ["1.0.0", "2.0.0", "verified"]),
    ("/ui/environments", ["production", "staging", "billing", "Can I deploy?"]),
    ("/ui/environments?service=web&version=1.0.0&environment=staging", ["no, do not deploy", "failed", "billing"]),
    ("/ui/network", ["<svg", "<title>web → billing: failed", "The same as a table"]),
    ("/ui/fixtures", ["Fixture review"]),
]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_every_page(client: Any, tenant_a: Any, story: None, role: Role) -> None:
    logged_in(client, tenant_a, role)
    for path, expected in PAGES:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"].startswith("text/html")
        for text in expected:
            assert text in response.text, (path, text)


def test_pages_need_a_session(client: Any, story: None) -> None:
    response = client.get("/ui/integrations", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_verification_and_static_check_details_show_every_mismatch(client: Any, tenant_a: Any, story: None) -> None:
    check = static_check_story(client, tenant_a)
    logged_in(client, tenant_a, Role.VIEWER)
    page = client.get(f"/ui/static-checks/{check['id']}")
    assert page.status_code == 200, page.text
    assert "/response/body/total" in page.text
    assert "/components/schemas/Order/properties/total" in page.text
    assert "failed" in page.text
    result = client.get("/api/verification/billing/results", headers=tenant_a.headers()).json()["items"][0]
    page = client.get(f"/ui/verifications/{result['id']}")
    assert page.status_code == 200, page.text
    assert "web → billing" in page.text
    assert "failed" in page.text
    assert "pact-verifier" in page.text


def test_spec_diff_page_shows_breaking_changes(client: Any, tenant_a: Any) -> None:
    spec_versions(client, tenant_a)
    logged_in(client, tenant_a, Role.VIEWER)
    service = client.get("/ui/services/orders")
    assert "/ui/services/orders/spec-diff?from=1&amp;to=2" in service.text
    page = client.get("/ui/services/orders/spec-diff", params={"from": "1", "to": "2"})
    assert page.status_code == 200, page.text
    assert "Breaking changes" in page.text
    assert "total" in page.text


@pytest.mark.parametrize(
    "path",
    [
        "/ui/integrations?page=0",
        "/ui/integrations?page_size=1000",
        "/ui/integrations?page=abc",
        "/ui/integrations?environment=nowhere",
        "/ui/matrix?consumer=web&provider=orders&limit=0",
        "/ui/environments?service=web",
        "/ui/fixtures?status=bogus",
        "/ui/services?cursor=not-a-cursor",
    ],
)
def test_bad_query_input_is_a_422_page(client: Any, tenant_a: Any, story: None, path: str) -> None:
    logged_in(client, tenant_a, Role.VIEWER)
    response = client.get(path)
    assert response.status_code == 422, (path, response.text)
    assert response.headers["content-type"].startswith("text/html")


def test_another_tenants_rows_are_404_pages(client: Any, tenant_a: Any, tenant_b: Any, story: None) -> None:
    check = static_check_story(client, tenant_a)
    result_id = verification_id(client, tenant_a)
    spec_versions(client, tenant_a)
    logged_in(client, tenant_b, Role.OWNER)
    for path in (
        "/ui/services/orders",
        "/ui/services/orders/spec-diff?from=1&to=2",
        "/ui/matrix?consumer=web&provider=orders",
        "/ui/environments?service=web&version=1.0.0&environment=production",
        f"/ui/verifications/{result_id}",
        f"/ui/static-checks/{check['id']}",
        "/ui/verifications/not-an-id",
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"].startswith("text/html")
    for path in ("/ui/integrations", "/ui/network", "/ui/environments", "/ui/services"):
        response = client.get(path)
        assert response.status_code == 200
        assert "orders" not in response.text, path
        assert "billing" not in response.text, path
