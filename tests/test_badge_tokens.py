"""Public badges: a per-tenant token in the badge URL, no key; read-only for badges; rotatable by an admin."""

from __future__ import annotations

from typing import Any

from tests.test_pact_matrix import Broker, get_badge

PACT_BADGE = "/pacts/provider/api/consumer/web-app/latest/badge"


def _no_key_badge(client: Any, url: str) -> tuple[str, str]:
    class Anonymous:
        @staticmethod
        def headers() -> dict[str, str]:
            return {}

    return get_badge(client, Anonymous, url)


def test_admins_read_and_rotate_the_badge_token_through_the_api(client: Any, tenant_a: Any) -> None:
    first = client.get("/api/badge-token", headers=tenant_a.headers())
    again = client.get("/api/badge-token", headers=tenant_a.headers())
    rotated = client.post("/api/badge-token/rotate", headers=tenant_a.headers())

    assert first.status_code == 200
    assert first.json() == again.json()
    assert first.json()["badge_base_url"] == f"http://testserver.local/badges/{first.json()['token']}"
    assert rotated.status_code == 201
    assert rotated.json()["token"] != first.json()["token"]
    assert client.get("/api/badge-token", headers=tenant_a.headers(tenant_a.write_key)).status_code == 403
    assert client.post("/api/badge-token/rotate", headers=tenant_a.headers(tenant_a.read_key)).status_code == 403


def test_a_badge_url_with_the_token_loads_without_a_key_and_only_for_its_tenant(
    client: Any, tenant_a: Any, tenant_b: Any
) -> None:
    Broker(client, tenant_a.headers()).record("web-app", "1", "api")
    token_a = client.get("/api/badge-token", headers=tenant_a.headers()).json()["token"]
    token_b = client.get("/api/badge-token", headers=tenant_b.headers()).json()["token"]

    assert _no_key_badge(client, f"/badges/{token_a}{PACT_BADGE}") == ("web-app/api pact", "unknown")
    assert _no_key_badge(client, f"/badges/{token_b}{PACT_BADGE}") == ("pact not found", "unknown")
    assert client.get(PACT_BADGE).status_code == 401  # the keyed route is unchanged


def test_the_token_reads_badges_and_nothing_else(client: Any, tenant_a: Any) -> None:
    Broker(client, tenant_a.headers()).record("web-app", "1", "api")
    token = client.get("/api/badge-token", headers=tenant_a.headers()).json()["token"]

    for path in ("/pacticipants", "/pacts/provider/api/consumer/web-app/latest", "/api/me", ""):
        assert client.get(f"/badges/{token}{path}").status_code == 404, path
    assert client.get("/pacticipants", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_rotated_or_unknown_token_is_404(client: Any, tenant_a: Any) -> None:
    old = client.get("/api/badge-token", headers=tenant_a.headers()).json()["token"]
    new = client.post("/api/badge-token/rotate", headers=tenant_a.headers()).json()["token"]

    assert client.get(f"/badges/{old}{PACT_BADGE}").status_code == 404
    assert client.get(f"/badges/not-a-token{PACT_BADGE}").status_code == 404
    assert client.get(f"/badges/{'x' * 500}{PACT_BADGE}").status_code == 404
    assert _no_key_badge(client, f"/badges/{new}{PACT_BADGE}")[0] == "pact not found"
