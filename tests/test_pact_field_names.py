"""Pact API bodies: camelCase and the snake_case names older clients send, pacticipant repository fields and
environment contacts, each round-tripped through HTTP."""

from __future__ import annotations

from typing import Any


def test_pacticipant_fields_in_either_case_round_trip(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    snake = {
        "name": "web",
        "display_name": "Web App",
        "repository_url": "https://github.com/acme/web",
        "repository_name": "web",
        "repository_namespace": "acme",
        "main_branch": "trunk",
    }
    created = client.post("/pacticipants", json=snake, headers=h)
    assert created.status_code == 201, created.text
    expected = {
        "displayName": "Web App",
        "repositoryUrl": "https://github.com/acme/web",
        "repositoryName": "web",
        "repositoryNamespace": "acme",
        "mainBranch": "trunk",
    }
    shown = client.get("/pacticipants/web", headers=h).json()
    assert {key: shown[key] for key in expected} == expected

    # PATCH merges what is given (in either case); PUT clears what is not.
    patched = client.patch("/pacticipants/web", json={"repositoryNamespace": "acme-labs"}, headers=h).json()
    assert (patched["repositoryName"], patched["repositoryNamespace"]) == ("web", "acme-labs")
    replaced = client.put("/pacticipants/web", json={"repository_name": "web2", "mainBranch": "main"}, headers=h)
    assert replaced.status_code == 200, replaced.text
    body = replaced.json()
    assert body["repositoryName"] == "web2"
    assert "repositoryNamespace" not in body
    assert "repositoryUrl" not in body
    assert body["mainBranch"] == "main"
    # Given both, the broker's camelCase name wins.
    both = client.patch("/pacticipants/web", json={"displayName": "Camel", "display_name": "snake"}, headers=h)
    assert both.json()["displayName"] == "Camel"
    assert client.post("/pacticipants", json={"name": "x", "repositoryUrl": "has space"}, headers=h).status_code == 400


def test_version_and_deployment_fields_in_snake_case(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    put = client.put("/pacticipants/web/versions/1", json={"build_url": "https://ci/1"}, headers=h)
    assert put.status_code == 201, put.text
    assert put.json()["buildUrl"] == "https://ci/1"
    environment = client.post("/environments", json={"name": "prod", "display_name": "Production"}, headers=h)
    assert environment.status_code == 201, environment.text
    assert environment.json()["displayName"] == "Production"
    uuid_ = environment.json()["uuid"]
    recorded = client.post(
        f"/pacticipants/web/versions/1/deployed-versions/environment/{uuid_}",
        json={"application_instance": "blue"},
        headers=h,
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["applicationInstance"] == "blue"


def test_environment_contacts_round_trip(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    contacts = [{"name": "Team Orders", "details": {"emailAddress": "orders@acme.test", "slack": "#orders"}}]
    created = client.post("/environments", json={"name": "prod", "contacts": contacts}, headers=h)
    assert created.status_code == 201, created.text
    assert created.json()["contacts"] == contacts
    uuid_ = created.json()["uuid"]
    assert client.get(f"/environments/{uuid_}", headers=h).json()["contacts"] == contacts
    listed = client.get("/environments", headers=h).json()["_embedded"]["environments"]
    assert [e["contacts"] for e in listed] == [contacts]

    replaced = client.put(f"/environments/{uuid_}", json={"name": "prod", "contacts": [{"name": "Ops"}]}, headers=h)
    assert replaced.json()["contacts"] == [{"name": "Ops"}]
    cleared = client.put(f"/environments/{uuid_}", json={"name": "prod"}, headers=h)
    assert cleared.json()["contacts"] == []


def test_another_tenant_sees_neither_contacts_nor_repository_fields(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    created = client.post("/environments", json={"name": "prod", "contacts": [{"name": "Ops"}]}, headers=a)
    assert client.get(f"/environments/{created.json()['uuid']}", headers=b).status_code == 404
    client.post("/pacticipants", json={"name": "web", "repositoryName": "web"}, headers=a)
    assert client.patch("/pacticipants/web", json={"repositoryName": "theirs"}, headers=b).status_code == 201
    assert client.get("/pacticipants/web", headers=a).json()["repositoryName"] == "web"
