"""The Pact Broker's numbered pages (`page`, `size`, the `page` object, next/previous links) on every
collection it pages that Accord serves, the same way on each; and the real client reading a paged list."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.test_pact_matrix import Broker
from tests.test_pact_pacticipants import ok, pact

BASE = "http://testserver.local"


def get(client: Any, path: str, headers: dict[str, str]) -> Any:
    response = client.get(path.removeprefix(BASE), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def names(body: dict[str, Any], embedded: str, key: str = "name") -> list[str]:
    return [item[key] for item in body["_embedded"][embedded]]


def walk(client: Any, path: str, headers: dict[str, str], embedded: str, key: str = "name") -> list[list[str]]:
    """Every page from `path` on, following `pb:next`; each page's `previous` leads back to the one before."""
    pages: list[list[str]] = []
    body = get(client, path, headers)
    while True:
        pages.append(names(body, embedded, key))
        if "pb:next" not in body["_links"]:
            return pages
        assert body["_links"]["next"] == body["_links"]["pb:next"]
        following = get(client, body["_links"]["pb:next"]["href"], headers)
        back = get(client, following["_links"]["pb:previous"]["href"], headers)
        assert names(back, embedded, key) == pages[-1]
        body = following


def check_page_object(body: dict[str, Any], *, number: int, size: int, total: int) -> None:
    assert body["page"] == {"number": number, "size": size, "totalElements": total, "totalPages": -(-total // size)}


class TestVersions:
    def test_newest_first_in_numbered_pages(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for number in ("1", "2", "3", "4", "5"):
            assert client.put(f"/pacticipants/web/versions/{number}", json={}, headers=h).status_code == 201
        first = get(client, "/pacticipants/web/versions?page=1&size=2", h)
        check_page_object(first, number=1, size=2, total=5)
        assert first["_links"]["next"]["href"] == f"{BASE}/pacticipants/web/versions?page=2&size=2"
        assert first["_links"]["self"]["href"] == f"{BASE}/pacticipants/web/versions?page=1&size=2"
        assert "previous" not in first["_links"]
        pages = walk(client, "/pacticipants/web/versions?page=1&size=2", h, "versions", "number")
        assert pages == [["5", "4"], ["3", "2"], ["1"]]
        # The page's own links stay those of a versions collection.
        assert [link["name"] for link in first["_links"]["pb:versions"]] == ["5", "4"]
        beyond = get(client, "/pacticipants/web/versions?page=7&size=2", h)
        assert beyond["_embedded"]["versions"] == []
        check_page_object(beyond, number=7, size=2, total=5)
        # Without `page`, Accord's cursor pages as before (no `page` object).
        assert "page" not in get(client, "/pacticipants/web/versions?size=2", h)

    def test_another_tenants_versions_are_not_counted(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        client.put("/pacticipants/web/versions/1", json={}, headers=tenant_a.headers())
        for number in ("1", "2"):
            client.put(f"/pacticipants/web/versions/{number}", json={}, headers=tenant_b.headers())
        check_page_object(
            get(client, "/pacticipants/web/versions?page=1", tenant_a.headers()), number=1, size=100, total=1
        )
        assert client.get("/pacticipants/web/versions?page=1", headers=tenant_a.headers("nobody")).status_code == 401


def test_branches_in_numbered_pages(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    for branch in ("a", "b", "c"):
        client.put(f"/pacticipants/web/branches/{branch}/versions/1", headers=h)
    first = get(client, "/pacticipants/web/branches?page=1&size=2", h)
    check_page_object(first, number=1, size=2, total=3)
    assert walk(client, "/pacticipants/web/branches?page=1&size=2", h, "branches") == [["a", "b"], ["c"]]
    assert walk(client, "/pacticipants/web/branches?page=1&size=1&q=b", h, "branches") == [["b"]]


def test_labelled_pacticipants_in_numbered_pages(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    for name in ("a-app", "b-app", "c-app"):
        client.put(f"/pacticipants/{name}/labels/team", headers=h)
    client.put("/pacticipants/other/labels/elsewhere", headers=h)
    everything = get(client, "/pacticipants/label/team", h)
    assert names(everything, "pacticipants") == ["a-app", "b-app", "c-app"]
    assert "page" not in everything  # not asked for: the broker's unpaged shape
    assert everything["_links"]["self"]["href"] == f"{BASE}/pacticipants/label/team"
    check_page_object(get(client, "/pacticipants/label/team?page=2&size=2", h), number=2, size=2, total=3)
    assert walk(client, "/pacticipants/label/team?page=1&size=2", h, "pacticipants") == [["a-app", "b-app"], ["c-app"]]


def test_integrations_and_dashboard_in_numbered_pages(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    broker = Broker(client, tenant_a.headers())
    for consumer in ("c1", "c2", "c3"):
        broker.record(consumer, "1", "api")
    broker.verify("api", "9", "c1", "1")  # the most recent activity: first on the dashboard
    Broker(client, tenant_b.headers()).record("other", "1", "api")
    h = tenant_a.headers(tenant_a.read_key)
    first = get(client, "/integrations?page=1&size=2", h)
    check_page_object(first, number=1, size=2, total=3)
    pairs = [[i["consumer"]["name"] for i in page] for page in _integration_pages(client, h)]
    assert pairs == [["c1", "c2"], ["c3"]]
    assert "page" not in get(client, "/integrations", h)

    dashboard = get(client, "/dashboard?page=1&size=2", h)
    check_page_object(dashboard, number=1, size=2, total=3)
    assert dashboard["items"][0]["consumer"]["name"] == "c1"
    last = get(client, dashboard["_links"]["pb:next"]["href"], h)
    assert len(last["items"]) == 1
    assert "pb:next" not in last["_links"]
    assert len(get(client, "/dashboard", h)["items"]) == 3


def _integration_pages(client: Any, headers: dict[str, str]) -> list[list[dict[str, Any]]]:
    body, pages = get(client, "/integrations?page=1&size=2", headers), []
    while True:
        pages.append(body["_embedded"]["integrations"])
        if "pb:next" not in body["_links"]:
            return pages
        body = get(client, body["_links"]["pb:next"]["href"], headers)


PAGED = [
    "/pacticipants",
    "/pacticipants/web/versions",
    "/pacticipants/web/branches",
    "/pacticipants/label/team",
    "/integrations",
    "/dashboard",
]


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("query", ["page=0", "page=x", "size=0", "size=-1", "size=100000", "page=1&size=y"])
def test_invalid_page_or_size_is_a_pact_400(client: Any, tenant_a: Any, path: str, query: str) -> None:
    h = tenant_a.headers()
    client.put("/pacticipants/web/versions/1", json={}, headers=h)
    response = client.get(f"{path}?{query}", headers=h)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/hal+json;charset=utf-8"
    errors = response.json()["errors"]
    assert isinstance(errors, dict)
    assert set(errors) & {"page", "size"}, errors
    assert all(isinstance(message, str) for messages in errors.values() for message in messages)


@pytest.mark.e2e
def test_the_client_lists_pacticipants_from_a_paged_list(live_server: Any, live_tenant: Any) -> None:
    """`list-pacticipants` reads the list's first page (it follows no page links): the default page is the
    largest, and the page links it prints are ones Accord answers."""
    key = live_tenant.write_key
    for name in ("a-app", "b-app", "c-app"):
        ok(pact(live_server, "create-or-update-pacticipant", "--name", name, token=key))
    listed = ok(pact(live_server, "list-pacticipants", "-o", "json", token=live_tenant.read_key))
    body = httpx.Response(200, text=listed).json()
    assert [p["name"] for p in body["pacticipants"]] == ["a-app", "b-app", "c-app"]
    described = ok(pact(live_server, "describe-pacticipant", "--name", "b-app", token=live_tenant.read_key))
    assert "b-app" in described
    headers = live_tenant.headers(live_tenant.read_key)
    paged = httpx.get(f"{live_server.base_url}/pacticipants?page=1&size=2", headers=headers, timeout=10).json()
    assert paged["page"]["totalElements"] == 3
    following = httpx.get(paged["_links"]["pb:next"]["href"], headers=headers, timeout=10)
    assert [p["name"] for p in following.json()["pacticipants"]] == ["c-app"]
