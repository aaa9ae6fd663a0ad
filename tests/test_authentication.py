"""The tenant middleware: which keys get in, and what the others are told."""

from __future__ import annotations

import base64
import datetime
import time
from typing import Any

import pytest

from accord.tenancy.principal import Scope
from tests.factories import make_key

PROBLEM = "application/problem+json"
# Unknown, revoked and expired keys all get this one message (issue 13: say less).
INVALID_KEY = "The API key is not valid."


def _assert_unauthenticated(response: Any, detail_fragment: str) -> None:
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.headers.get_list("www-authenticate") == ['Bearer realm="accord"', 'Basic realm="accord"']
    body = response.json()
    assert body["type"] == "urn:accord:problem:unauthenticated"
    assert detail_fragment in body["detail"]


def test_missing_key_is_401(client: Any) -> None:
    _assert_unauthenticated(client.get("/api/me"), "Authorization: Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer acc_unknown_key", "Bearer ", "Token abc", "Basic !!!notbase64"],
)
def test_unknown_or_malformed_key_is_401(client: Any, tenant_a: Any, header: str) -> None:
    response = client.get("/api/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert len(response.headers.get_list("www-authenticate")) == 2


def test_basic_auth_with_key_as_password_is_accepted(client: Any, tenant_a: Any) -> None:
    credentials = base64.b64encode(f"anyone:{tenant_a.read_key}".encode()).decode()
    response = client.get("/api/me", headers={"Authorization": f"Basic {credentials}"})
    assert response.status_code == 200
    assert response.json()["tenant"]["slug"] == "tenant-a"


def test_basic_auth_with_key_as_username_is_accepted(client: Any, tenant_a: Any) -> None:
    credentials = base64.b64encode(f"{tenant_a.read_key}:".encode()).decode()
    assert client.get("/api/me", headers={"Authorization": f"Basic {credentials}"}).status_code == 200


def test_revoked_key_is_refused_immediately(client: Any, tenant_a: Any) -> None:
    me = client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key))
    assert me.status_code == 200  # now cached
    key_id = me.json()["key"]["id"]

    revoked = client.delete(f"/api/keys/{key_id}", headers=tenant_a.headers())
    assert revoked.status_code == 200
    assert revoked.json()["active"] is False

    _assert_unauthenticated(client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key)), INVALID_KEY)


def test_revocation_by_another_process_reaches_the_cache(client: Any, run: Any, tenant_a: Any, app: Any) -> None:
    """A revoke through SQL (as `accord keys revoke` in another process does) evicts the cached key."""
    import asyncpg

    from accord.db.url import configured_database_url

    assert client.get("/api/me", headers=tenant_a.headers(tenant_a.read_key)).status_code == 200
    run(app.state.key_listener.connected.wait)

    async def revoke_elsewhere() -> None:
        connection = await asyncpg.connect(configured_database_url())
        try:
            await connection.execute("UPDATE api_key SET revoked_at = now() WHERE name = 'reader'")
        finally:
            await connection.close()

    run(revoke_elsewhere)
    deadline = time.monotonic() + 3
    status = 200
    while time.monotonic() < deadline:
        status = client.get("/api/me", headers=tenant_a.headers(tenant_a.read_key)).status_code
        if status == 401:
            break
        time.sleep(0.02)
    assert status == 401


def test_expired_key_is_refused(client: Any, run: Any, tenant_a: Any) -> None:
    async def make_short_lived_key() -> str:
        soon = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(seconds=1)
        key, _ = await make_key(tenant_a.id, name="short", expires_at=soon)
        return key

    key = run(make_short_lived_key)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    time.sleep(1.1)
    _assert_unauthenticated(client.get("/api/me", headers={"Authorization": f"Bearer {key}"}), INVALID_KEY)


def test_read_key_cannot_write(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/keys", json={"name": "x", "scopes": ["read"]}, headers=tenant_a.headers(tenant_a.read_key)
    )
    assert response.status_code == 403
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["type"] == "urn:accord:problem:forbidden"


def test_write_key_cannot_manage_keys(client: Any, tenant_a: Any) -> None:
    assert client.get("/api/keys", headers=tenant_a.headers(tenant_a.write_key)).status_code == 403


def test_public_routes_need_no_key(client: Any) -> None:
    assert client.get("/health").status_code == 200
    assert client.get("/schema/openapi.json").status_code == 200


def test_unknown_route_is_404_problem_even_without_key(client: Any) -> None:
    response = client.get("/api/does-not-exist")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:accord:problem:not-found"


def test_key_resolution_is_cached(client: Any, tenant_a: Any, app: Any) -> None:
    """Many requests with one key cost one key lookup, not one per request."""
    client.blocking_portal.call(app.state.key_listener.connected.wait)  # its first connect empties the cache
    cache = app.state.key_cache
    lookups = 0
    original = cache._find

    async def counting_find(key_hash: str) -> Any:
        nonlocal lookups
        lookups += 1
        return await original(key_hash)

    cache._find = counting_find
    try:
        for _ in range(20):
            assert client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key)).status_code == 200
    finally:
        cache._find = original
    assert lookups <= 1


def test_last_used_is_recorded_at_most_once_a_minute(client: Any, run: Any, tenant_a: Any, app: Any) -> None:
    import asyncpg

    from accord.db.url import configured_database_url

    async def last_used() -> Any:
        connection = await asyncpg.connect(configured_database_url())
        try:
            return await connection.fetchval("SELECT last_used_at FROM api_key WHERE name = 'writer'")
        finally:
            await connection.close()

    assert run(last_used) is None
    client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key))
    run(app.state.key_cache.drain)
    first = run(last_used)
    assert first is not None
    for _ in range(5):
        client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key))
    run(app.state.key_cache.drain)
    assert run(last_used) == first


def test_scope_hierarchy() -> None:
    from accord.tenancy.principal import effective_scopes

    assert effective_scopes(frozenset({Scope.admin})) == {Scope.read, Scope.write, Scope.admin}
    assert effective_scopes(frozenset({Scope.write})) == {Scope.read, Scope.write}
    assert effective_scopes(frozenset({Scope.read})) == {Scope.read}


def test_unknown_revoked_and_expired_keys_get_one_message(client: Any, tenant_a: Any) -> None:
    unknown = client.get("/api/me", headers={"Authorization": "Bearer acc_unknown_key"})
    _assert_unauthenticated(unknown, INVALID_KEY)
    assert unknown.json()["detail"] == INVALID_KEY


def test_revoking_process_refuses_the_key_without_waiting_for_its_notification(
    client: Any, run: Any, tenant_a: Any, app: Any
) -> None:
    """The NOTIFY reaches this process a moment after the revoke answers; the revoking process must not depend
    on it (with the listener stopped, nothing else would evict the cached key)."""
    me = client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key))
    assert me.status_code == 200  # now cached
    run(app.state.key_listener.stop)

    assert client.delete(f"/api/keys/{me.json()['key']['id']}", headers=tenant_a.headers()).status_code == 200

    _assert_unauthenticated(client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key)), "not valid")
