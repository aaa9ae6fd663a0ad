"""The fixture review queue: members review through forms, viewers read only, nothing half-written."""

from __future__ import annotations

from typing import Any

from accord.accounts.roles import Role
from tests.web.conftest import form, logged_in


def propose(client: Any, tenant: Any, path: str) -> str:
    body = {
        "provider": "orders",
        "operation": "getOrder",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {}},
    }
    response = client.post("/api/fixtures", json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def status_of(client: Any, tenant: Any, fixture_id: str) -> str:
    return str(client.get(f"/api/fixtures/{fixture_id}", headers=tenant.headers()).json()["status"])


def test_viewer_reads_the_queue_but_cannot_review(client: Any, tenant_a: Any) -> None:
    fixture = propose(client, tenant_a, "/orders/1")
    logged_in(client, tenant_a, Role.VIEWER)
    page = client.get("/ui/fixtures")
    assert page.status_code == 200
    assert "/orders/1" in page.text
    assert "Approve" not in page.text
    for path, data in ((f"/ui/fixtures/{fixture}/approve", {}), ("/ui/fixtures/bulk-approve", {"ids": [fixture]})):
        response = client.post(path, data=form(client, data), follow_redirects=False)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("text/html")
    assert status_of(client, tenant_a, fixture) == "draft"


def test_member_approves_rejects_and_deprecates_with_a_notice(client: Any, tenant_a: Any) -> None:
    approved, rejected = propose(client, tenant_a, "/orders/1"), propose(client, tenant_a, "/orders/2")
    user = logged_in(client, tenant_a, Role.MEMBER)
    page = client.get("/ui/fixtures")
    assert f'formaction="/ui/fixtures/{approved}/approve"' in page.text
    response = client.post(
        f"/ui/fixtures/{approved}/approve", data=form(client, {"status": "draft"}), follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/ui/fixtures?notice=approved&status=draft"
    assert "Fixture approved." in client.get(response.headers["location"]).text
    fixture = client.get(f"/api/fixtures/{approved}", headers=tenant_a.headers()).json()
    assert (fixture["status"], fixture["approved_by"]) == ("approved", user.email)

    response = client.post(f"/ui/fixtures/{rejected}/reject", data=form(client), follow_redirects=False)
    assert response.status_code == 303
    assert status_of(client, tenant_a, rejected) == "rejected"
    response = client.post(f"/ui/fixtures/{approved}/deprecate", data=form(client), follow_redirects=False)
    assert response.status_code == 303
    assert status_of(client, tenant_a, approved) == "deprecated"


def test_bulk_approve_is_all_or_nothing(client: Any, tenant_a: Any) -> None:
    drafts = [propose(client, tenant_a, f"/orders/{n}") for n in range(3)]
    rejected = propose(client, tenant_a, "/orders/9")
    logged_in(client, tenant_a, Role.MEMBER)
    client.post(f"/ui/fixtures/{rejected}/reject", data=form(client), follow_redirects=False)

    refused = client.post("/ui/fixtures/bulk-approve", data=form(client, {"ids": [drafts[0], rejected]}))
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("text/html")
    assert status_of(client, tenant_a, drafts[0]) == "draft"
    for bad in ({}, {"ids": ["not-an-id"]}):
        response = client.post("/ui/fixtures/bulk-approve", data=form(client, bad))
        assert response.status_code == 422, response.text

    response = client.post("/ui/fixtures/bulk-approve", data=form(client, {"ids": drafts[:2]}), follow_redirects=False)
    assert response.status_code == 303
    assert [status_of(client, tenant_a, f) for f in drafts] == ["approved", "approved", "draft"]


def test_forms_without_the_csrf_token_are_refused(client: Any, tenant_a: Any) -> None:
    fixture = propose(client, tenant_a, "/orders/1")
    logged_in(client, tenant_a, Role.MEMBER)
    response = client.post(f"/ui/fixtures/{fixture}/approve", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert status_of(client, tenant_a, fixture) == "draft"


def test_another_tenants_fixture_is_a_404_and_untouched(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    fixture = propose(client, tenant_a, "/orders/1")
    logged_in(client, tenant_b, Role.OWNER)
    assert "/orders/1" not in client.get("/ui/fixtures").text
    for path, data in ((f"/ui/fixtures/{fixture}/approve", {}), ("/ui/fixtures/bulk-approve", {"ids": [fixture]})):
        response = client.post(path, data=form(client, data), follow_redirects=False)
        assert response.status_code == 404, response.text
    assert status_of(client, tenant_a, fixture) == "draft"
