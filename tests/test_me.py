from typing import Any


def test_me_describes_the_tenant_and_key(client: Any, tenant_a: Any) -> None:
    response = client.get("/api/me", headers=tenant_a.headers(tenant_a.write_key))

    assert response.status_code == 200
    body = response.json()
    assert body["tenant"] == {"slug": "tenant-a", "name": "Tenant-A"}
    assert body["key"]["name"] == "writer"
    assert body["key"]["scopes"] == ["write"]


def test_me_answers_for_the_key_presented_not_another_tenant(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    assert client.get("/api/me", headers=tenant_a.headers()).json()["tenant"]["slug"] == "tenant-a"
    assert client.get("/api/me", headers=tenant_b.headers()).json()["tenant"]["slug"] == "tenant-b"
