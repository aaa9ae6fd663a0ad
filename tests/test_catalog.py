"""Services and versions: CRUD, auto-creation, labels, deletion rules, isolation, races."""

from __future__ import annotations

import asyncio
from typing import Any

from accord.catalog.semver import semver_key
from accord.catalog.service import ServiceCatalog, VersionMention


class TestServices:
    def test_create_get_update_list(self, client: Any, tenant_a: Any) -> None:
        created = client.post(
            "/api/services",
            json={"name": "orders", "display_name": "Orders", "repository_url": "https://git.example.com/orders"},
            headers=tenant_a.headers(tenant_a.write_key),
        )
        assert created.status_code == 201, created.text
        assert created.json()["main_branch"] is None

        patched = client.patch(
            "/api/services/orders", json={"main_branch": "trunk", "display_name": None}, headers=tenant_a.headers()
        )
        assert patched.status_code == 200
        assert patched.json()["main_branch"] == "trunk"
        assert patched.json()["display_name"] is None
        assert patched.json()["repository_url"] == "https://git.example.com/orders"

        client.post("/api/services", json={"name": "billing"}, headers=tenant_a.headers())
        page = client.get("/api/services", params={"limit": 1}, headers=tenant_a.headers(tenant_a.read_key)).json()
        assert [s["name"] for s in page["items"]] == ["billing"]
        second = client.get("/api/services", params={"cursor": page["next_cursor"]}, headers=tenant_a.headers()).json()
        assert [s["name"] for s in second["items"]] == ["orders"]
        assert second["next_cursor"] is None
        assert [
            s["name"]
            for s in client.get("/api/services", params={"prefix": "ord"}, headers=tenant_a.headers()).json()["items"]
        ] == ["orders"]

    def test_prefix_and_search_match_wildcards_and_backslashes_literally(self, client: Any, tenant_a: Any) -> None:
        for name in ["a\\b%", "a\\bc", "ab%", "a_b", "axb"]:
            assert client.post("/api/services", json={"name": name}, headers=tenant_a.headers()).status_code == 201

        def native(prefix: str) -> list[str]:
            response = client.get("/api/services", params={"prefix": prefix}, headers=tenant_a.headers())
            return [s["name"] for s in response.json()["items"]]

        def pact(search: str) -> list[str]:
            response = client.get("/pacticipants", params={"q": search}, headers=tenant_a.headers())
            return [p["name"] for p in response.json()["_embedded"]["pacticipants"]]

        assert native("a\\b%") == ["a\\b%"]
        assert native("a\\") == ["a\\b%", "a\\bc"]
        assert native("a_") == ["a_b"]
        assert pact("\\b%") == ["a\\b%"]
        assert pact("_") == ["a_b"]

    def test_duplicate_name_is_409_and_bad_names_422(self, client: Any, tenant_a: Any) -> None:
        assert client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers()).status_code == 201
        assert client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers()).status_code == 409
        for bad in ["", "a/b", " padded", "x" * 256]:
            response = client.post("/api/services", json={"name": bad}, headers=tenant_a.headers())
            assert response.status_code == 422, bad
            assert response.json()["errors"][0]["pointer"] == "/name"

    def test_delete_refuses_while_referenced_unless_cascade(self, client: Any, tenant_a: Any) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        client.post("/api/services/orders/versions", json={"number": "1.0.0"}, headers=tenant_a.headers())

        refused = client.delete("/api/services/orders", headers=tenant_a.headers())
        assert refused.status_code == 409
        assert "1 versions" in refused.json()["detail"]
        assert (
            client.delete("/api/services/orders", params={"cascade": "true"}, headers=tenant_a.headers()).status_code
            == 204
        )
        assert client.get("/api/services/orders", headers=tenant_a.headers()).status_code == 404

    def test_isolation(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        client.post("/api/services/orders/versions", json={"number": "1"}, headers=tenant_a.headers())
        b = tenant_b.headers()
        assert client.get("/api/services", headers=b).json()["items"] == []
        assert client.get("/api/services/orders", headers=b).status_code == 404
        assert client.patch("/api/services/orders", json={"description": "x"}, headers=b).status_code == 404
        assert client.delete("/api/services/orders", params={"cascade": "true"}, headers=b).status_code == 404
        assert client.get("/api/services/orders/versions", headers=b).status_code == 404
        assert client.get("/api/services/orders/versions/1", headers=b).status_code == 404
        assert client.put("/api/services/orders/versions/1", json={"tags": ["x"]}, headers=b).status_code == 404
        assert client.delete("/api/services/orders/versions/1", headers=b).status_code == 404
        assert client.post("/api/services/orders/versions", json={"number": "2"}, headers=b).status_code == 404
        # The same name in tenant B is its own service.
        assert client.post("/api/services", json={"name": "orders"}, headers=b).status_code == 201
        assert (
            client.get("/api/services/orders/versions", headers=tenant_a.headers()).json()["items"][0]["number"] == "1"
        )


class TestVersions:
    def test_versions_carry_branches_and_tags_and_list_newest_first(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/services", json={"name": "web"}, headers=h)
        first = client.post(
            "/api/services/web/versions",
            json={"number": "1.0.0", "branches": ["main"], "tags": ["prod"], "git_sha": "abc1234"},
            headers=h,
        )
        assert first.status_code == 201, first.text
        assert first.json()["branches"] == ["main"]
        client.post("/api/services/web/versions", json={"number": "1.1.0", "branches": ["main", "feat-x"]}, headers=h)
        again = client.post("/api/services/web/versions", json={"number": "1.0.0", "tags": ["stable"]}, headers=h)
        assert again.json()["tags"] == ["prod", "stable"]
        assert again.json()["git_sha"] == "abc1234"

        listed = client.get("/api/services/web/versions", headers=h).json()["items"]
        assert [v["number"] for v in listed] == ["1.1.0", "1.0.0"]
        on_feat = client.get("/api/services/web/versions", params={"branch": "feat-x"}, headers=h).json()["items"]
        assert [v["number"] for v in on_feat] == ["1.1.0"]
        tagged = client.get("/api/services/web/versions", params={"tag": "prod"}, headers=h).json()["items"]
        assert [v["number"] for v in tagged] == ["1.0.0"]

        updated = client.put(
            "/api/services/web/versions/1.1.0",
            json={"build_url": "https://ci.example.com/1", "tags": ["rc"]},
            headers=h,
        )
        assert updated.json()["build_url"] == "https://ci.example.com/1"
        assert updated.json()["tags"] == ["rc"]

    def test_versions_page_through(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/services", json={"name": "web"}, headers=h)
        for number in range(5):
            client.post("/api/services/web/versions", json={"number": str(number)}, headers=h)
        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/services/web/versions", params=params, headers=h).json()
            seen += [v["number"] for v in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert seen == ["4", "3", "2", "1", "0"]

    def test_version_of_unknown_service_is_404(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/services/nope/versions", json={"number": "1"}, headers=tenant_a.headers())
        assert response.status_code == 404


def test_concurrent_auto_creation_makes_one_row_each(client: Any, run: Any, tenant_a: Any) -> None:
    """Ten uploads racing to create the same services and versions: no duplicates, no errors."""

    async def race() -> list[Any]:
        mentions = [
            VersionMention(service="consumer", number="1.0.0", branch="main", tags=("dev",)),
            VersionMention(service="provider", number="2.0.0", branch="main"),
        ]
        return await asyncio.gather(*(ServiceCatalog(tenant_a.id).ensure_versions(mentions) for _ in range(10)))

    results = run(race)
    assert len({ref.version_id for result in results for ref in result.values()}) == 2
    h = tenant_a.headers()
    assert [s["name"] for s in client.get("/api/services", headers=h).json()["items"]] == ["consumer", "provider"]
    version = client.get("/api/services/consumer/versions/1.0.0", headers=h).json()
    assert version["branches"] == ["main"]
    assert version["tags"] == ["dev"]


def test_semver_keys_sort_by_precedence() -> None:
    numbers = ["1.0.0-rc.1", "1.0.0", "0.9.10", "1.0.0-alpha", "0.9.2", "1.0.0-rc.10", "10.0.0", "2.0.0"]
    keys = {n: semver_key(n) for n in numbers}
    ordered = sorted(numbers, key=lambda n: keys[n] or "")
    assert ordered == ["0.9.2", "0.9.10", "1.0.0-alpha", "1.0.0-rc.1", "1.0.0-rc.10", "1.0.0", "2.0.0", "10.0.0"]
    assert semver_key("abc123") is None


def test_auto_creation_racing_cascade_deletes_never_errors(client: Any, run: Any, tenant_a: Any) -> None:
    """Uploads that auto-create a service while operators delete it: every call succeeds or says NotFound."""
    from accord.errors import NotFound

    async def race() -> list[Any]:
        mention = [VersionMention(service="flaky", number="1", branch="main")]

        async def upload() -> Any:
            return await ServiceCatalog(tenant_a.id).ensure_versions(mention)

        async def remove() -> Any:
            try:
                await ServiceCatalog(tenant_a.id).delete_service("flaky", cascade=True)
            except NotFound:
                return "gone"
            return "deleted"

        calls = [upload() if index % 2 else remove() for index in range(20)]
        return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = run(race)
    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
