"""/api/keys: a tenant's admin manages its own keys and can't see or touch another tenant's."""

from __future__ import annotations

from typing import Any

import pytest


class TestCreateKey:
    def test_returns_the_secret_once_and_stores_only_its_hash(self, client: Any, run: Any, tenant_a: Any) -> None:
        response = client.post("/api/keys", json={"name": "deploy", "scopes": ["read"]}, headers=tenant_a.headers())

        assert response.status_code == 201
        body = response.json()
        secret = body["key"]
        assert secret.startswith(body["api_key"]["prefix"] + "_")
        assert body["api_key"]["scopes"] == ["read"]
        assert "key_hash" not in body["api_key"]
        listed = client.get(f"/api/keys/{body['api_key']['id']}", headers=tenant_a.headers()).json()
        assert secret not in str(listed)

        async def stored_values() -> list[str]:
            import asyncpg

            from accord.db.url import configured_database_url

            connection = await asyncpg.connect(configured_database_url())
            try:
                row = await connection.fetchrow("SELECT * FROM api_key WHERE name = 'deploy'")
            finally:
                await connection.close()
            return [str(value) for value in dict(row).values()]

        assert all(secret not in value for value in run(stored_values))
        assert client.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    def test_duplicate_active_name_is_409(self, client: Any, tenant_a: Any) -> None:
        first = client.post("/api/keys", json={"name": "dup", "scopes": ["read"]}, headers=tenant_a.headers())
        second = client.post("/api/keys", json={"name": "dup", "scopes": ["read"]}, headers=tenant_a.headers())
        assert first.status_code == 201
        assert second.status_code == 409
        assert second.json()["type"] == "urn:accord:problem:conflict"

    def test_name_can_be_reused_after_revocation(self, client: Any, tenant_a: Any) -> None:
        first = client.post("/api/keys", json={"name": "rotate", "scopes": ["read"]}, headers=tenant_a.headers())
        client.delete(f"/api/keys/{first.json()['api_key']['id']}", headers=tenant_a.headers())
        again = client.post("/api/keys", json={"name": "rotate", "scopes": ["read"]}, headers=tenant_a.headers())
        assert again.status_code == 201

    def test_same_name_in_two_tenants_is_fine(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        body = {"name": "shared-name", "scopes": ["read"]}
        assert client.post("/api/keys", json=body, headers=tenant_a.headers()).status_code == 201
        assert client.post("/api/keys", json=body, headers=tenant_b.headers()).status_code == 201

    @pytest.mark.parametrize(
        ("body", "pointer"),
        [
            ({"name": "x", "scopes": ["root"]}, "/scopes/0"),
            ({"name": "", "scopes": ["read"]}, "/name"),
            ({"name": "x", "scopes": []}, "/scopes"),
            ({"name": "x"}, "/scopes"),
            ({"name": "x", "scopes": ["read"], "tenant": "tenant-b"}, "/tenant"),
            ({"name": "x", "scopes": ["read"], "expires_at": "yesterday"}, "/expires_at"),
        ],
    )
    def test_invalid_bodies_are_422_with_the_field(self, client: Any, tenant_a: Any, body: Any, pointer: str) -> None:
        response = client.post("/api/keys", json=body, headers=tenant_a.headers())
        assert response.status_code == 422
        problem = response.json()
        assert problem["type"] == "urn:accord:problem:validation-failed"
        assert problem["errors"][0]["pointer"] == pointer

    def test_expiry_in_the_past_is_422(self, client: Any, tenant_a: Any) -> None:
        body = {"name": "old", "scopes": ["read"], "expires_at": "2001-01-01T00:00:00Z"}
        response = client.post("/api/keys", json=body, headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/expires_at"


class TestListKeys:
    def test_pages_in_a_stable_order(self, client: Any, tenant_a: Any) -> None:
        for index in range(5):
            client.post("/api/keys", json={"name": f"k{index}", "scopes": ["read"]}, headers=tenant_a.headers())
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/keys", params=params, headers=tenant_a.headers()).json()
            seen.extend(item["name"] for item in page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert seen == ["admin", "writer", "reader", "k0", "k1", "k2", "k3", "k4"]

    def test_revoked_keys_are_hidden_unless_asked(self, client: Any, tenant_a: Any) -> None:
        reader = next(
            item
            for item in client.get("/api/keys", headers=tenant_a.headers()).json()["items"]
            if item["name"] == "reader"
        )
        client.delete(f"/api/keys/{reader['id']}", headers=tenant_a.headers())
        names = [i["name"] for i in client.get("/api/keys", headers=tenant_a.headers()).json()["items"]]
        all_names = [
            i["name"]
            for i in client.get("/api/keys", params={"include_revoked": "true"}, headers=tenant_a.headers()).json()[
                "items"
            ]
        ]
        assert "reader" not in names
        assert "reader" in all_names

    def test_bad_cursor_and_limit_are_rejected(self, client: Any, tenant_a: Any) -> None:
        bad_cursor = client.get("/api/keys", params={"cursor": "garbage"}, headers=tenant_a.headers())
        assert bad_cursor.status_code == 422
        assert bad_cursor.json()["errors"][0]["parameter"] == "cursor"
        bad_limit = client.get("/api/keys", params={"limit": 0}, headers=tenant_a.headers())
        assert bad_limit.status_code in (400, 422)
        assert bad_limit.json()["errors"][0]["parameter"] == "query.limit"


class TestIsolation:
    """Tenant B's admin key can neither see nor change tenant A's keys."""

    def _a_key_id(self, client: Any, tenant_a: Any) -> str:
        items = client.get("/api/keys", headers=tenant_a.headers()).json()["items"]
        return str(next(item["id"] for item in items if item["name"] == "reader"))

    def test_list_shows_only_own_keys(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        a_ids = {i["id"] for i in client.get("/api/keys", headers=tenant_a.headers()).json()["items"]}
        b_ids = {i["id"] for i in client.get("/api/keys", headers=tenant_b.headers()).json()["items"]}
        assert a_ids.isdisjoint(b_ids)
        assert len(b_ids) == 3

    def test_get_of_another_tenants_key_is_404(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        response = client.get(f"/api/keys/{self._a_key_id(client, tenant_a)}", headers=tenant_b.headers())
        assert response.status_code == 404
        assert response.json()["type"] == "urn:accord:problem:not-found"

    def test_revoke_of_another_tenants_key_is_404_and_changes_nothing(
        self, client: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        key_id = self._a_key_id(client, tenant_a)
        assert client.delete(f"/api/keys/{key_id}", headers=tenant_b.headers()).status_code == 404
        assert client.get(f"/api/keys/{key_id}", headers=tenant_a.headers()).json()["active"] is True
        assert client.get("/api/me", headers=tenant_a.headers(tenant_a.read_key)).status_code == 200

    def test_created_keys_belong_to_the_callers_tenant(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        created = client.post("/api/keys", json={"name": "b-key", "scopes": ["read"]}, headers=tenant_b.headers())
        me = client.get("/api/me", headers={"Authorization": f"Bearer {created.json()['key']}"})
        assert me.json()["tenant"]["slug"] == "tenant-b"
