"""The audit log: every write, whatever its path, is logged in its own transaction and readable at /api/audit."""

from __future__ import annotations

import getpass
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from tests import factories
from tests.factories import owner_connection

# The admin warns when its sessions are not production-configured, as in tests (see tests/test_admin.py).
pytestmark = pytest.mark.filterwarnings("ignore:If running sessions in production:UserWarning")


def _entries(client: Any, tenant: factories.TestTenant, **params: Any) -> list[dict[str, Any]]:
    response = client.get("/api/audit", params=params, headers=tenant.headers())
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _key_id(client: Any, tenant: factories.TestTenant, name: str) -> str:
    keys = client.get("/api/keys", headers=tenant.headers()).json()["items"]
    return str(next(key["id"] for key in keys if key["name"] == name))


def test_a_native_api_write_names_its_key_request_and_row(client: Any, tenant_a: factories.TestTenant) -> None:
    created = client.post(
        "/api/keys",
        json={"name": "ci", "scopes": ["read"]},
        headers={**tenant_a.headers(), "X-Request-ID": "req-native-1"},
    )
    assert created.status_code == 201, created.text

    (entry,) = _entries(client, tenant_a, request_id="req-native-1")

    assert entry["actor"] == f"key:{_key_id(client, tenant_a, 'admin')}"
    assert (entry["action"], entry["resource"]) == ("insert", "api_key")
    assert entry["resource_id"] == created.json()["api_key"]["id"]
    assert entry["summary"] == {"rows": 1, "labels": ["ci"]}
    assert "key_hash" not in str(entry)
    assert created.json()["key"] not in str(entry)


def test_an_update_lists_the_changed_columns_not_their_values(client: Any, tenant_a: factories.TestTenant) -> None:
    key_id = _key_id(client, tenant_a, "reader")
    assert client.delete(f"/api/keys/{key_id}", headers=tenant_a.headers()).status_code == 200

    (entry,) = _entries(client, tenant_a, action="update", resource="api_key")

    assert entry["resource_id"] == key_id
    assert entry["summary"] == {"rows": 1, "changed": ["revoked_at"]}


def test_a_pact_api_write_is_logged(client: Any, tenant_a: factories.TestTenant) -> None:
    response = client.put(
        "/pacticipants/web/versions/1", json={}, headers={**tenant_a.headers(), "X-Request-ID": "req-pact-1"}
    )
    assert response.status_code in {200, 201}, response.text

    entries = _entries(client, tenant_a, request_id="req-pact-1")

    assert {(e["action"], e["resource"]) for e in entries} >= {("insert", "service"), ("insert", "service_version")}
    assert {e["actor"] for e in entries} == {f"key:{_key_id(client, tenant_a, 'admin')}"}


def test_an_admin_write_is_logged_as_the_admin(
    client: Any, run: Callable[..., Any], tenant_a: factories.TestTenant
) -> None:
    from tests.test_admin import _create_admin_user, _csrf_headers, _log_in

    run(_create_admin_user)
    assert _log_in(client).status_code == 200
    key_id = _key_id(client, tenant_a, "writer")

    response = client.patch(
        f"/admin/api/tables/api_key/{key_id}/", json={"name": "renamed"}, headers=_csrf_headers(client)
    )

    assert response.status_code == 200, response.text
    (entry,) = _entries(client, tenant_a, actor="admin")
    assert (entry["action"], entry["resource"], entry["resource_id"]) == ("update", "api_key", key_id)
    assert entry["summary"]["changed"] == ["name"]
    assert entry["request_id"]


def test_the_admin_shows_the_log_read_only(
    client: Any, run: Callable[..., Any], tenant_a: factories.TestTenant
) -> None:
    from tests.test_admin import _create_admin_user, _csrf_headers, _log_in

    run(_create_admin_user)
    assert _log_in(client).status_code == 200
    listed = client.get("/admin/api/tables/audit_entry/", params={"__page_size": 100})
    assert listed.status_code == 200, listed.text
    rows = listed.json()["rows"]
    assert any(row["resource"] == "api_key" for row in rows)

    edited = client.patch(
        f"/admin/api/tables/audit_entry/{rows[0]['id']}/", json={"actor": "someone else"}, headers=_csrf_headers(client)
    )
    deleted = client.delete(f"/admin/api/tables/audit_entry/{rows[0]['id']}/", headers=_csrf_headers(client))

    assert (edited.status_code, deleted.status_code) == (405, 405)


def test_a_cli_write_is_logged_as_the_operating_system_user(client: Any, run: Callable[..., Any]) -> None:
    accord = os.path.join(os.path.dirname(sys.executable), "accord")
    env = {**os.environ}
    created = subprocess.run(
        [accord, "tenants", "create", "--slug", "cli-audit", "--name", "CLI"], capture_output=True, text=True, env=env,
        check=False, timeout=60,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    key = subprocess.run(
        [accord, "keys", "create", "--tenant", "cli-audit", "--name", "deploy"],
        capture_output=True, text=True, env=env, check=False, timeout=60,
    )  # fmt: skip
    assert key.returncode == 0, key.stderr

    async def logged() -> list[tuple[str, str, str]]:
        async with owner_connection() as conn:
            rows = await conn.fetch(
                "SELECT a.actor, a.action, a.resource FROM audit_entry a JOIN tenant t ON t.id = a.tenant "
                "WHERE t.slug = 'cli-audit' ORDER BY a.position"
            )
        return [(row["actor"], row["action"], row["resource"]) for row in rows]

    actor = f"cli:{getpass.getuser()}"
    assert run(logged) == [(actor, "insert", "tenant"), (actor, "insert", "api_key")]


def test_a_rolled_back_write_leaves_no_entry(run: Callable[..., Any], tenant_a: factories.TestTenant) -> None:
    from accord.composition import presence_service
    from accord.db.engine import get_engine
    from accord.deployments.presence import DEPLOYED

    class Abort(Exception):
        pass

    async def deploy(abort: bool) -> int:
        try:
            async with get_engine().transaction():
                await presence_service(tenant_a.id).record(DEPLOYED, service="api", version="1", environment="prod")
                if abort:
                    raise Abort
        except Abort:
            pass
        async with owner_connection() as conn:
            return int(await conn.fetchval("SELECT count(*) FROM audit_entry WHERE resource = 'deployment'"))

    assert run(deploy, True) == 0
    assert run(deploy, False) == 1


def test_pages_filters_and_tenants(client: Any, tenant_a: factories.TestTenant, tenant_b: factories.TestTenant) -> None:
    for index in range(5):
        body = {"name": f"k{index}", "scopes": ["read"]}
        assert client.post("/api/keys", json=body, headers=tenant_a.headers()).status_code == 201

    first = client.get("/api/audit", params={"limit": 2, "resource": "api_key"}, headers=tenant_a.headers()).json()
    second = client.get(
        "/api/audit",
        params={"limit": 2, "resource": "api_key", "cursor": first["next_cursor"]},
        headers=tenant_a.headers(),
    ).json()
    everything = _entries(client, tenant_a, resource="api_key", limit=100)

    # Newest first, pages continue without overlap.
    assert [e["id"] for e in first["items"] + second["items"]] == [e["id"] for e in everything[:4]]
    assert [e["summary"]["labels"] for e in everything[:5]] == [["k4"], ["k3"], ["k2"], ["k1"], ["k0"]]
    assert _entries(client, tenant_a, action="delete") == []
    # Tenant B's log holds B's own writes only; reading the log needs an admin key.
    assert {e["resource_id"] for e in _entries(client, tenant_b, limit=100)}.isdisjoint(
        {e["resource_id"] for e in everything}
    )
    assert client.get("/api/audit", headers=tenant_a.headers(tenant_a.read_key)).status_code == 403
    bad = client.get("/api/audit", params={"action": "drop"}, headers=tenant_a.headers())
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")


def test_a_dashboard_write_is_logged_as_the_user(client: Any, tenant_a: factories.TestTenant) -> None:
    from accord.accounts.roles import Role
    from tests.web.conftest import logged_in
    from tests.web.test_invitations import _invite

    user = logged_in(client, tenant_a, Role.ADMIN)
    _invite(client, "new@example.com")
    client.cookies.clear()

    (entry,) = _entries(client, tenant_a, resource="invitation")

    assert entry["actor"] == f"user:{user.user_id}"
    assert (entry["action"], entry["summary"]) == ("insert", {"rows": 1, "labels": ["new@example.com"]})


def test_a_batch_naming_only_known_services_logs_no_catalog_write(client: Any, tenant_a: factories.TestTenant) -> None:
    """Statements that write no row log nothing (their triggers return at once)."""

    def batch(path: str) -> None:
        item = {
            "consumer": "web",
            "consumer_version": "1",
            "consumer_branch": "main",
            "provider": "orders",
            "request": {"method": "GET", "path": path},
            "response": {"status": 200},
        }
        response = client.post("/api/interactions/batch", json={"items": [item]}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text

    batch("/first")
    logged = {(entry["resource"], entry["action"]) for entry in _entries(client, tenant_a, limit=100)}
    assert {("service", "insert"), ("service_version", "insert"), ("branch", "insert")} <= logged
    before = len(_entries(client, tenant_a, limit=100))

    batch("/second")

    after = _entries(client, tenant_a, limit=100)
    assert len(after) == before + 1
    assert (after[0]["resource"], after[0]["action"], after[0]["summary"]["rows"]) == ("interaction", "insert", 1)
