"""Pact API wire details clients compare literally: the HAL content type, X-Pact-Consumer-Version, the index's
relations and curies, the heartbeat, /integrations and /dashboard."""

from __future__ import annotations

from typing import Any

from tests.test_pact_matrix import Broker
from tests.test_pact_publish import contract, pact_v2, publication, publish

BASE = "http://testserver.local"
HAL = "application/hal+json;charset=utf-8"


def test_hal_and_pact_error_responses_carry_the_brokers_content_type(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    for path in ("/", "/pacticipants", "/environments", "/webhooks", "/integrations", "/dashboard"):
        response = client.get(path, headers={**h, "Accept": "application/hal+json, application/json, */*"})
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"] == HAL, path
    missing = client.get("/pacticipants/nobody", headers=h)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == HAL
    assert "errors" in missing.json()
    # The native API keeps its problem details.
    native = client.get("/api/services/nobody", headers=h)
    assert native.headers["content-type"].startswith("application/problem+json")


def test_pacts_carry_the_consumer_version_header(client: Any, tenant_a: Any) -> None:
    publish(client, tenant_a, publication(contract(pact_v2()), version="1.2.3"))
    h = tenant_a.headers()
    for path in ("/pacts/provider/api/consumer/web/latest", "/pacts/provider/api/consumer/web/version/1.2.3"):
        response = client.get(path, headers=h)
        assert response.status_code == 200, response.text
        assert response.headers["x-pact-consumer-version"] == "1.2.3"
        assert response.headers["content-type"] == HAL


def test_index_relations_and_curies(client: Any, tenant_a: Any) -> None:
    links = client.get("/", headers=tenant_a.headers()).json()["_links"]
    for relation in (
        "pb:latest-version", "pb:latest-tagged-version", "pb:pacticipant-version", "pb:pacticipant-branch",
        "pb:environments", "pb:environment", "pb:webhooks", "pb:latest-provider-pacts",
        "pb:latest-provider-pacts-with-tag", "pb:provider-pacts-for-verification", "pb:pacticipant-version-tag",
        "pb:integrations", "pb:dashboard", "beta:provider-pacts-for-verification",
    ):  # fmt: skip
        assert links[relation]["href"].startswith(BASE + "/"), relation
    assert links["pb:integrations"] == {"href": f"{BASE}/integrations", "title": "Integrations"}
    assert links["pb:dashboard"]["href"] == f"{BASE}/dashboard"
    assert [curie["name"] for curie in links["curies"]] == ["pb", "beta"]
    assert all(curie["templated"] for curie in links["curies"])


def test_heartbeat_needs_no_key(client: Any) -> None:
    response = client.get("/diagnostic/status/heartbeat")
    assert response.status_code == 200
    assert response.headers["content-type"] == HAL
    assert response.json() == {"ok": True, "_links": {"self": {"href": f"{BASE}/diagnostic/status/heartbeat"}}}


def test_integrations_and_dashboard(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    broker = Broker(client, tenant_a.headers())
    broker.record("web", "1", "api")
    broker.record("ios", "7", "api", "/b")
    broker.verify("api", "10", "web", "1")
    h = tenant_a.headers(tenant_a.read_key)
    integrations = client.get("/integrations", headers=h).json()
    pairs = {
        (i["consumer"]["name"], i["provider"]["name"]): i["verificationStatus"]
        for i in integrations["_embedded"]["integrations"]
    }
    assert pairs == {("web", "api"): "success", ("ios", "api"): "never"}
    web = next(i for i in integrations["_embedded"]["integrations"] if i["consumer"]["name"] == "web")
    assert web["consumer"]["_links"]["self"]["href"] == f"{BASE}/pacticipants/web"
    assert web["_links"]["pb:latest-pact"]["href"].startswith(f"{BASE}/pacts/provider/api/consumer/web/pact-version/")
    assert client.get(web["_links"]["pb:matrix"]["href"], headers=h).status_code == 200
    assert integrations["_links"]["self"]["href"] == f"{BASE}/integrations"

    items = client.get("/dashboard", headers=h).json()["items"]
    rows = {item["consumer"]["name"]: item for item in items}
    assert rows["web"]["consumer"]["version"]["number"] == "1"
    assert rows["web"]["provider"]["version"]["number"] == "10"
    assert rows["web"]["verificationResult"]["success"] is True
    assert rows["ios"]["verificationResult"] is None
    assert rows["ios"]["provider"]["version"] is None  # the broker sends null until a verification

    assert client.get("/integrations", headers=tenant_b.headers()).json()["_embedded"]["integrations"] == []
    assert client.get("/dashboard", headers=tenant_b.headers()).json()["items"] == []
    assert client.get("/integrations").status_code == 401


def test_pacticipants_in_the_brokers_numbered_pages(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    for name in ("a-app", "b-app", "c-app", "d-app", "e-app"):
        assert client.post("/pacticipants", json={"name": name}, headers=h).status_code == 201
    first = client.get("/pacticipants?page=1&size=2", headers=h).json()
    assert [p["name"] for p in first["_embedded"]["pacticipants"]] == ["a-app", "b-app"]
    assert first["page"] == {"number": 1, "size": 2, "totalElements": 5, "totalPages": 3}
    assert first["_links"]["next"] == {"href": f"{BASE}/pacticipants?page=2&size=2", "title": "Next page"}
    assert first["_links"]["pb:next"] == first["_links"]["next"]
    assert "previous" not in first["_links"]

    second = client.get(first["_links"]["next"]["href"].removeprefix(BASE), headers=h).json()
    assert [p["name"] for p in second["_embedded"]["pacticipants"]] == ["c-app", "d-app"]
    assert second["_links"]["pb:previous"]["href"] == f"{BASE}/pacticipants?page=1&size=2"
    last = client.get("/pacticipants?page=3&size=2", headers=h).json()
    assert [p["name"] for p in last["pacticipants"]] == ["e-app"]
    assert "next" not in last["_links"]
    beyond = client.get("/pacticipants?page=9&size=2", headers=h).json()
    assert beyond["pacticipants"] == []
    assert beyond["page"]["totalElements"] == 5
    searched = client.get("/pacticipants?page=1&size=10&q=c-a", headers=h).json()
    assert [p["name"] for p in searched["pacticipants"]] == ["c-app"]
    assert client.get("/pacticipants?page=0", headers=h).status_code == 400


def test_deprecated_fields_older_clients_read(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    client.put("/pacticipants/web/versions/1", json={}, headers=h)
    embedded = client.get("/pacticipants/web", headers=h).json()["_embedded"]
    assert embedded["latest-version"] == embedded["latestVersion"]
    assert embedded["latest-version"]["number"] == "1"
