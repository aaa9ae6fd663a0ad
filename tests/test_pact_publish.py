"""Publishing and reading pacts through the Pact Broker API: /contracts/publish, the legacy PUT/PATCH, every
read Pact clients make, content identity, conflicts, isolation, races, and the real `pact broker` CLI."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from msgspec import convert

from accord.composition import document_publisher
from accord.errors import Conflict
from accord.pact.pacts.publication import publish_contracts, publish_pact
from accord.pact.pacts.schemas import ContractsPublish

PROBLEM = "urn:accord:problem:"
PACT_CLI = str(Path(sys.executable).parent / "pact")


# Pacts of every specification version, as consumer test frameworks write them -----------------------------


def pact_v2(consumer: str = "web", provider: str = "api", *, status: int = 200, name: str = "Ann") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": "get a user",
                "providerState": "user 1 exists",
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": status,
                    "headers": {"Content-Type": "application/json"},
                    "body": {"id": 1, "name": name},
                },
            }
        ],
        "metadata": {"pactSpecification": {"version": "2.0.0"}},
    }


def pact_v3(consumer: str = "web", provider: str = "api") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "description": "list users",
                "providerStates": [{"name": "users exist", "params": {"count": 2}}],
                "request": {"method": "GET", "path": "/users", "query": {"page": ["1"]}},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": "application/json"},
                    "body": [{"id": 1}],
                    "matchingRules": {"body": {"$[0].id": {"matchers": [{"match": "integer"}]}}},
                },
            },
            {
                "description": "create a user",
                "request": {"method": "POST", "path": "/users", "body": {"name": "Bo"}},
                "response": {"status": 201},
            },
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}, "pact-js": {"version": "12.1.0"}},
    }


def pact_v3_messages(consumer: str = "web", provider: str = "api") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "messages": [
            {
                "description": "a user was created",
                "providerStates": [{"name": "a user"}],
                "contents": {"id": 1},
                "metadata": {"contentType": "application/json"},
            }
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def pact_v4(consumer: str = "web", provider: str = "api") -> dict[str, Any]:
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "type": "Synchronous/HTTP",
                "key": "5f1b2c3d",
                "description": "get a user",
                "pending": False,
                "request": {"method": "GET", "path": "/users/1"},
                "response": {
                    "status": 200,
                    "headers": {"Content-Type": ["application/json"]},
                    "body": {"contentType": "application/json", "encoded": False, "content": {"id": 1}},
                },
            },
            {
                "type": "Asynchronous/Messages",
                "key": "9a8b7c6d",
                "description": "a user event",
                "contents": {"contentType": "application/json", "encoded": False, "content": {"id": 1}},
                "metadata": {"topic": "users"},
            },
        ],
        "metadata": {"pactSpecification": {"version": "4.0"}},
    }


def encoded(document: Any) -> str:
    return base64.b64encode(json.dumps(document).encode()).decode()


def contract(document: Any, *, consumer: str = "web", provider: str = "api", **extra: Any) -> dict[str, Any]:
    return {
        "consumerName": consumer,
        "providerName": provider,
        "specification": "pact",
        "contentType": "application/json",
        "content": encoded(document),
        **extra,
    }


def publication(*contracts: dict[str, Any], version: str = "1", consumer: str = "web", **extra: Any) -> dict[str, Any]:
    return {"pacticipantName": consumer, "pacticipantVersionNumber": version, "contracts": list(contracts), **extra}


def publish(client: Any, tenant: Any, body: dict[str, Any], *, expect: int = 200, **params: Any) -> dict[str, Any]:
    response = client.post("/contracts/publish", json=body, headers=tenant.headers(), params=params)
    assert response.status_code == expect, response.text
    return dict(response.json())


def without_links(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key not in ("_links", "createdAt")}


def strip_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The served pact without the `_id`s Accord adds for verifiers."""
    stripped = without_links(document)
    for array in ("interactions", "messages"):
        if array in stripped:
            stripped[array] = [{k: v for k, v in item.items() if k != "_id"} for item in stripped[array]]
    return stripped


async def count_rows(table: str, where: str = "true") -> int:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table} WHERE {where}"))
    finally:
        await connection.close()


# POST /contracts/publish ---------------------------------------------------------------------------------


class TestPublishContracts:
    def test_publishes_every_spec_version_and_auto_creates_the_catalog(self, client: Any, tenant_a: Any) -> None:
        body = publication(
            contract(pact_v2()),
            contract(pact_v3(provider="users"), provider="users"),
            contract(pact_v3_messages(provider="events"), provider="events"),
            contract(pact_v4(provider="profiles"), provider="profiles"),
            branch="main",
            tags=["dev", "rc"],
            buildUrl="https://ci.example.com/builds/7",
        )
        result = publish(client, tenant_a, body)

        assert result["_embedded"]["version"]["number"] == "1"
        assert result["_embedded"]["pacticipant"]["name"] == "web"
        links = result["_links"]
        assert links["pb:pacticipant-version"]["href"].endswith("/pacticipants/web/versions/1")
        assert [tag["name"] for tag in links["pb:pacticipant-version-tags"]] == ["dev", "rc"]
        assert [c["href"].split("/pacts/")[1] for c in links["pb:contracts"]] == [
            "provider/api/consumer/web/version/1",
            "provider/users/consumer/web/version/1",
            "provider/events/consumer/web/version/1",
            "provider/profiles/consumer/web/version/1",
        ]
        assert links["pb:contracts"][0]["name"] == "Pact between web (1) and api"
        notices = result["notices"]
        assert notices[0] == {"type": "debug", "text": "Created web version 1 with branch main and tags dev, rc"}
        assert {"type": "success", "text": "Pact successfully published for web version 1 and provider api."} in notices
        assert result["logs"][0]["message"] == notices[0]["text"]

        version = client.get("/api/services/web/versions/1", headers=tenant_a.headers()).json()
        assert (version["branches"], version["tags"]) == (["main"], ["dev", "rc"])
        assert version["build_url"] == "https://ci.example.com/builds/7"
        for provider in ("api", "users", "events", "profiles"):
            assert client.get(f"/api/services/{provider}", headers=tenant_a.headers()).status_code == 200

    def test_the_consumer_versions_contract_is_the_pact(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v3())))
        native = client.get("/api/contracts/web/1/api", headers=tenant_a.headers()).json()
        assert native["kind"] == "pact"
        assert native["interaction_count"] == 2
        assert native["interactions"] == pact_v3()["interactions"]
        content = client.get(
            f"/api/contract-contents/{native['sha']}",
            params={"consumer": "web", "provider": "api"},
            headers=tenant_a.headers(),
        ).json()
        assert content["content"] == pact_v3()

    @pytest.mark.parametrize("document", [pact_v2(), pact_v3(), pact_v3_messages(), pact_v4()])
    def test_a_pact_is_served_back_intact(self, client: Any, tenant_a: Any, document: dict[str, Any]) -> None:
        publish(client, tenant_a, publication(contract(document)))
        served = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers())
        assert served.status_code == 200
        assert served.headers["content-type"].startswith("application/hal+json")
        assert strip_ids(served.json()) == document
        array = "messages" if "messages" in document else "interactions"
        # Verifiers report results by `_id`: each interaction gets its key (v4) or description.
        assert [item["_id"] for item in served.json()[array]] == [
            item.get("key") or item["description"] for item in document[array]
        ]

    def test_republishing_the_same_pact_reserialized_is_the_same_content(
        self, client: Any, tenant_a: Any, run: Any
    ) -> None:
        first = publish(client, tenant_a, publication(contract(pact_v3())))
        assert first["notices"][-2]["type"] == "success"
        reserialized = pact_v3()
        reserialized["interactions"].reverse()
        reserialized["metadata"] = {"pactSpecification": {"version": "3.0.0"}, "pactRust": {"models": "1.3.16"}}
        reserialized["interactions"][0]["_id"] = "assigned-by-another-broker"
        again = publish(client, tenant_a, publication(contract(reserialized)))
        assert again["notices"][0]["text"] == "Updated web version 1"
        assert {
            "type": "success",
            "text": "Pact successfully republished for web version 1 and provider api with no content changes.",
        } in again["notices"]
        # Another consumer version with the same pact shares the content.
        publish(client, tenant_a, publication(contract(reserialized), version="2"))
        assert run(count_rows, "contract_content") == 1
        assert run(count_rows, "contract_publication") == 2

    def test_changing_published_content_is_a_conflict_unless_replaced(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        changed = publication(contract(pact_v2(status=201)))
        refused = publish(client, tenant_a, changed, expect=409)
        assert refused["errors"]["contracts"][0].startswith(
            "Cannot change the content of the pact for web version 1 and provider api"
        )
        assert (
            client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers()).json()["interactions"][
                0
            ]["response"]["status"]
            == 200
        )
        problem = client.post(
            "/contracts/publish", json=changed, headers={**tenant_a.headers(), "Accept": "application/problem+json"}
        )
        assert (problem.status_code, problem.json()["type"]) == (409, PROBLEM + "conflict")

        replaced = publish(client, tenant_a, changed, replace="true")
        assert any(n["type"] == "warning" and "changed content" in n["text"] for n in replaced["notices"])
        served = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers()).json()
        assert served["interactions"][0]["response"]["status"] == 201

    def test_merge_adds_and_replaces_interactions(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        addition = pact_v2(name="Bo")
        addition["interactions"].append(
            {
                "description": "delete a user",
                "request": {"method": "DELETE", "path": "/users/1"},
                "response": {"status": 204},
            }
        )
        merged = publish(client, tenant_a, publication(contract(addition, onConflict="merge")))
        assert merged["notices"][-2]["text"] == (
            "Pact content merged with existing content for web version 1 and provider api."
        )
        served = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers()).json()
        assert [i["description"] for i in served["interactions"]] == ["get a user", "delete a user"]
        assert served["interactions"][0]["response"]["body"]["name"] == "Bo"

        clash = pact_v2()
        clash["interactions"][0]["request"]["path"] = "/users/2"
        refused = publish(client, tenant_a, publication(contract(clash, onConflict="merge")), expect=409)
        assert "different request" in refused["errors"]["contracts"][0]

    def test_a_new_pact_for_an_existing_version_is_created(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        second = publish(client, tenant_a, publication(contract(pact_v2(provider="billing"), provider="billing")))
        assert second["notices"][0]["text"] == "Updated web version 1"
        assert any(n["text"].startswith("Pact successfully published") for n in second["notices"])

    @pytest.mark.parametrize(
        ("body", "field", "message"),
        [
            (
                publication(contract(pact_v2(), consumer="ios")),
                "contracts.0.consumerName",
                "must match pacticipantName",
            ),
            (publication(contract(pact_v2(consumer="ios"))), "contracts.0.content", "consumer name in the pact"),
            (publication(contract(pact_v2(provider="db"))), "contracts.0.content", "provider name in the pact"),
            (publication(contract(pact_v2()) | {"content": "%%%"}), "contracts.0.content", "not valid Base64"),
            (
                publication(contract(pact_v2()) | {"content": base64.b64encode(b"[1]").decode()}),
                "contracts.0.content",
                "must be a JSON object",
            ),
            (
                publication(contract(pact_v2()) | {"content": base64.b64encode(b"{nope").decode()}),
                "contracts.0.content",
                "could not be parsed",
            ),
            (
                publication(contract({"interactions": [{"description": "x\u0000"}]})),
                "contracts.0.content",
                "NUL",
            ),
            (publication(contract({"interactions": {}})), "contracts.0.content", "must be an array"),
            (publication(contract(pact_v2()), contract(pact_v2())), "contracts.1.providerName", "one per provider"),
        ],
    )
    def test_invalid_publications_are_refused_with_pact_errors(
        self, client: Any, tenant_a: Any, body: dict[str, Any], field: str, message: str
    ) -> None:
        refused = publish(client, tenant_a, body, expect=400)
        assert message in " ".join(refused["errors"][field])
        assert client.get("/api/services/web", headers=tenant_a.headers()).status_code == 404

    @pytest.mark.parametrize(
        "change",
        [
            {"specification": "openapi"},
            {"contentType": "application/yaml"},
            {"onConflict": "ignore"},
            {"unexpected": True},
        ],
    )
    def test_malformed_contracts_are_422(self, client: Any, tenant_a: Any, change: dict[str, Any]) -> None:
        body = publication(contract(pact_v2()) | change)
        response = client.post(
            "/contracts/publish", json=body, headers={**tenant_a.headers(), "Accept": "application/problem+json"}
        )
        assert (response.status_code, response.json()["type"]) == (422, PROBLEM + "validation-failed")

    def test_needs_write_scope_and_json(self, client: Any, tenant_a: Any) -> None:
        body = publication(contract(pact_v2()))
        assert (
            client.post("/contracts/publish", json=body, headers=tenant_a.headers(tenant_a.read_key)).status_code == 403
        )
        assert client.post("/contracts/publish", json=body).status_code == 401
        response = client.post(
            "/contracts/publish", content=json.dumps(body), headers={**tenant_a.headers(), "Content-Type": "text/plain"}
        )
        assert response.status_code == 415
        publish(client, tenant_a, body)  # a write key is enough
        assert (
            client.get(
                "/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers(tenant_a.read_key)
            ).status_code
            == 200
        )


# PUT / PATCH /pacts/provider/{p}/consumer/{c}/version/{v} -------------------------------------------------


class TestLegacyPublish:
    url = "/pacts/provider/api/consumer/web/version/1.0.0"

    def test_put_creates_then_accepts_the_same_and_refuses_a_change(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        created = client.put(self.url, json=pact_v2(), headers=h)
        assert created.status_code == 201, created.text
        assert strip_ids(created.json()) == pact_v2()
        assert created.json()["_links"]["pb:consumer-version"]["name"] == "1.0.0"
        assert client.put(self.url, json=pact_v2(), headers=h).status_code == 200
        changed = client.put(self.url, json=pact_v2(status=500), headers=h)
        assert changed.status_code == 409
        assert "Cannot change the content" in changed.json()["errors"]["base"][0]
        assert client.put(self.url, json=pact_v2(status=500), headers=h, params={"replace": "true"}).status_code == 200

    def test_put_fills_in_missing_names_and_checks_given_ones(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        nameless = {"interactions": pact_v2()["interactions"]}
        assert client.put(self.url, json=nameless, headers=h).status_code == 201
        served = client.get(self.url, headers=h).json()
        assert (served["consumer"], served["provider"]) == ({"name": "web"}, {"name": "api"})
        wrong = client.put("/pacts/provider/api/consumer/web/version/2", json=pact_v2(consumer="ios"), headers=h)
        assert wrong.status_code == 400
        assert "consumer.name" in wrong.json()["errors"]
        # Path names create services and versions, so they are held to the catalog's rules.
        spaced = client.put("/pacts/provider/api/consumer/web/version/1%202", json=pact_v2(), headers=h)
        assert spaced.status_code == 400
        assert (
            client.patch("/pacts/provider/%20api/consumer/web/version/2", json=pact_v2(), headers=h).status_code == 400
        )
        assert client.put(self.url, json=[1, 2], headers=h).status_code in (400, 422)

    def test_patch_merges(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        assert client.patch(self.url, json=pact_v2(), headers=h).status_code == 201
        more = pact_v3()
        merged = client.patch(self.url, json=more, headers=h)
        assert merged.status_code == 200
        assert [i["description"] for i in merged.json()["interactions"]] == [
            "get a user",
            "list users",
            "create a user",
        ]
        clash = pact_v3()
        clash["interactions"][1]["request"]["path"] = "/people"
        assert client.patch(self.url, json=clash, headers=h).status_code == 409


# Reads --------------------------------------------------------------------------------------------------


class TestReads:
    @pytest.fixture
    def published(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2()), version="1", branch="main", tags=["prod"]))
        publish(client, tenant_a, publication(contract(pact_v2(name="Bo")), version="2", branch="feat", tags=["dev"]))
        publish(
            client,
            tenant_a,
            publication(contract(pact_v2("ios"), consumer="ios"), consumer="ios", version="9", branch="master"),
        )

    def get(self, client: Any, tenant: Any, url: str, status: int = 200) -> dict[str, Any]:
        response = client.get(url, headers=tenant.headers())
        assert response.status_code == status, response.text
        return dict(response.json())

    @pytest.mark.usefixtures("published")
    def test_latest_by_tag_and_branch(self, client: Any, tenant_a: Any) -> None:
        base = "/pacts/provider/api/consumer/web"
        for url, name in (
            ("/latest", "Bo"),
            ("/latest/prod", "Ann"),
            ("/latest/dev", "Bo"),
            ("/branch/main/latest", "Ann"),
            ("/branch/feat/latest", "Bo"),
            ("/version/1", "Ann"),
        ):
            pact = self.get(client, tenant_a, base + url)
            assert pact["interactions"][0]["response"]["body"]["name"] == name, url
        for url in ("/latest/nope", "/branch/nope/latest", "/version/3"):
            assert self.get(client, tenant_a, base + url, 404)["errors"]

    @pytest.mark.usefixtures("published")
    def test_pact_links(self, client: Any, tenant_a: Any) -> None:
        pact = self.get(client, tenant_a, "/pacts/provider/api/consumer/web/version/1")
        links = pact["_links"]
        sha = links["pb:pact-version"]["name"]
        assert links["self"]["name"] == "Pact between web (1) and api"
        assert links["pb:consumer"]["href"].endswith("/pacticipants/web")
        assert links["pb:provider"]["href"].endswith("/pacticipants/api")
        assert links["pb:consumer-version"]["href"].endswith("/pacticipants/web/versions/1")
        assert links["pb:latest-pact-version"]["href"].endswith("/pacts/provider/api/consumer/web/latest")
        assert links["pb:publish-verification-results"]["href"].endswith(
            f"/pacts/provider/api/consumer/web/pact-version/{sha}/verification-results"
        )
        assert pact["createdAt"].endswith("+00:00")
        by_sha = self.get(client, tenant_a, f"/pacts/provider/api/consumer/web/pact-version/{sha}")
        assert without_links(by_sha) == without_links(pact)
        with_metadata = self.get(
            client, tenant_a, f"/pacts/provider/api/consumer/web/pact-version/{sha}/metadata/bWV0YQ"
        )
        assert with_metadata["_links"]["pb:publish-verification-results"]["href"].endswith(
            f"/pact-version/{sha}/metadata/bWV0YQ/verification-results"
        )
        assert self.get(client, tenant_a, f"/pacts/provider/api/consumer/ios/pact-version/{sha}", 404)
        assert self.get(client, tenant_a, "/pacts/provider/api/consumer/web/pact-version/" + "0" * 64, 404)

    def test_links_follow_the_forwarded_host(self, client: Any, tenant_a: Any) -> None:
        publish(client, tenant_a, publication(contract(pact_v2())))
        headers = {**tenant_a.headers(), "X-Forwarded-Proto": "https", "X-Forwarded-Host": "broker.example.com"}
        pact = client.get("/pacts/provider/api/consumer/web/latest", headers=headers).json()
        assert pact["_links"]["self"]["href"] == "https://broker.example.com/pacts/provider/api/consumer/web/version/1"

    @pytest.mark.usefixtures("published")
    def test_provider_collections(self, client: Any, tenant_a: Any) -> None:
        def listed(url: str) -> list[str]:
            body = self.get(client, tenant_a, url)
            assert body["_links"]["pb:provider"]["name"] == "api"
            assert body["_links"]["pacts"] == body["_links"]["pb:pacts"]
            return [link["title"] for link in body["_links"]["pb:pacts"]]

        assert listed("/pacts/provider/api/latest") == ["Pact between ios (9) and api", "Pact between web (2) and api"]
        assert listed("/pacts/provider/api/latest/prod") == ["Pact between web (1) and api"]
        assert listed("/pacts/provider/api/branch/latest") == [
            "Pact between ios (9) and api",
            "Pact between web (1) and api",
        ]
        assert listed("/pacts/provider/api/branch/feat/latest") == ["Pact between web (2) and api"]
        assert listed("/pacts/provider/api/latest/none") == []
        every = ["Pact between ios (9) and api", "Pact between web (2) and api", "Pact between web (1) and api"]
        assert listed("/pacts/provider/api") == every
        assert listed("/pacts/provider/api/tag/prod") == ["Pact between web (1) and api"]
        first = self.get(client, tenant_a, "/pacts/provider/api?size=2")
        assert [link["title"] for link in first["_links"]["pb:pacts"]] == every[:2]
        rest = self.get(client, tenant_a, first["_links"]["next"]["href"].split("testserver.local")[1])
        assert [link["title"] for link in rest["_links"]["pb:pacts"]] == every[2:]
        assert "next" not in rest["_links"]
        assert self.get(client, tenant_a, "/pacts/provider/api?cursor=bogus", 400)
        assert self.get(client, tenant_a, "/pacts/provider/nobody/latest", 404)

        latest = self.get(client, tenant_a, "/pacts/latest")
        rows = [
            (
                p["_embedded"]["consumer"]["name"],
                p["_embedded"]["consumer"]["_embedded"]["version"]["number"],
                p["_embedded"]["provider"]["name"],
            )
            for p in latest["pacts"]
        ]
        assert rows == [("ios", "9", "api"), ("web", "2", "api")]
        assert latest["_links"]["pb:pacts"][0]["href"].endswith("/pacts/provider/api/consumer/ios/latest")

    def test_recorded_interactions_are_served_as_a_pact(self, client: Any, tenant_a: Any) -> None:
        item = {
            "consumer": "mobile",
            "consumer_version": "5",
            "provider": "api",
            "operation": "getUser",
            "request": {"method": "GET", "path": "/users/1", "query": {"full": "yes"}},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}},
        }
        assert client.post("/api/interactions", json=item, headers=tenant_a.headers()).status_code in (200, 201)
        native = client.get("/api/contracts/mobile/5/api", headers=tenant_a.headers()).json()
        key = native["interactions"][0]["key"]
        pact = self.get(client, tenant_a, "/pacts/provider/api/consumer/mobile/latest")
        assert pact["metadata"] == {"pactSpecification": {"version": "3.0.0"}}
        assert pact["interactions"] == [
            {
                "_id": key,
                "description": f"getUser [{key[:12]}]",
                "request": {"method": "GET", "path": "/users/1", "query": {"full": ["yes"]}},
                "response": {"status": 200, "headers": {"content-type": "application/json"}, "body": {"id": 1}},
            }
        ]
        assert pact["_links"]["pb:pact-version"]["name"] == native["sha"]

    @pytest.mark.usefixtures("published")
    def test_reads_need_a_key(self, client: Any) -> None:
        assert client.get("/pacts/provider/api/consumer/web/latest").status_code == 401


# Isolation and races --------------------------------------------------------------------------------------


def test_tenants_do_not_see_or_conflict_with_each_others_pacts(
    client: Any, tenant_a: Any, tenant_b: Any, run: Any
) -> None:
    result = publish(client, tenant_a, publication(contract(pact_v2()), branch="main", tags=["prod"]))
    sha = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers()).json()["_links"][
        "pb:pact-version"
    ]["name"]
    assert result["_links"]["pb:contracts"]
    b = tenant_b.headers()
    for url in (
        "/pacts/provider/api/consumer/web/version/1",
        "/pacts/provider/api/consumer/web/latest",
        "/pacts/provider/api/consumer/web/latest/prod",
        "/pacts/provider/api/consumer/web/branch/main/latest",
        f"/pacts/provider/api/consumer/web/pact-version/{sha}",
        f"/pacts/provider/api/consumer/web/pact-version/{sha}/metadata/eA",
        "/pacts/provider/api",
        "/pacts/provider/api/tag/prod",
        "/pacts/provider/api/latest",
        "/pacts/provider/api/latest/prod",
        "/pacts/provider/api/branch/latest",
        "/pacts/provider/api/branch/main/latest",
    ):
        assert client.get(url, headers=b).status_code == 404, url
    assert client.get("/pacts/latest", headers=b).json()["pacts"] == []
    # B publishes a different pact under the same names: no conflict with A's, and A's is untouched.
    publish(client, tenant_b, publication(contract(pact_v2(status=500))))
    assert (
        client.put("/pacts/provider/api/consumer/web/version/1", json=pact_v2(status=500), headers=b).status_code == 200
    )
    assert (
        client.patch("/pacts/provider/api/consumer/web/version/1", json=pact_v2(name="Zed"), headers=b).status_code
        == 200
    )
    served = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers()).json()
    assert served["interactions"][0]["response"] == pact_v2()["interactions"][0]["response"]
    assert run(count_rows, "contract_content", f"tenant = '{tenant_a.id}'") == 1


def test_concurrent_publishing_never_duplicates_or_fails(client: Any, tenant_a: Any, run: Any) -> None:
    def body(version: str, document: dict[str, Any]) -> ContractsPublish:
        return convert(publication(contract(document), version=version, branch="main"), ContractsPublish)

    async def race() -> list[Any]:
        publisher = document_publisher(tenant_a.id)
        same = [publish_contracts(publisher, body(str(v), pact_v2()), replace=False) for v in range(8)]
        rival = [publish_contracts(publisher, body("x", pact_v2(status=201 + i)), replace=False) for i in range(6)]
        return await asyncio.gather(*same, *rival, return_exceptions=True)

    outcomes = run(race)
    assert all(not isinstance(outcome, Exception) for outcome in outcomes[:8]), outcomes
    rivals = outcomes[8:]
    assert sum(not isinstance(outcome, Exception) for outcome in rivals) == 1, rivals
    assert all(isinstance(outcome, Conflict) for outcome in rivals if isinstance(outcome, Exception)), rivals
    assert run(count_rows, "contract_content") == 2
    assert run(count_rows, "contract_publication") == 9
    assert run(count_rows, "service_version") == 9
    assert run(count_rows, "branch") == 1


def test_concurrent_puts_create_once(client: Any, tenant_a: Any, run: Any) -> None:
    async def race() -> list[Any]:
        publisher = document_publisher(tenant_a.id)
        puts = [
            publish_pact(
                publisher,
                consumer="web",
                consumer_version="7",
                provider="api",
                document=pact_v3(),
                merge=merge,
                replace=False,
            )
            for merge in (False, True) * 5
        ]
        return await asyncio.gather(*puts)

    statuses = sorted(published.status for published in run(race))
    assert statuses == ["created"] + ["unchanged"] * 9
    assert run(count_rows, "contract_content") == 1
    assert run(count_rows, "contract_publication") == 1


# The real client --------------------------------------------------------------------------------------------


def pact_cli(live_server: Any, tenant: Any, *args: str) -> subprocess.CompletedProcess[str]:
    command = [PACT_CLI, "broker", *args, "--broker-base-url", live_server.base_url, "--broker-token", tenant.admin_key]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def write_pacts(directory: Path, *documents: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for document in documents:
        name = f"{document['consumer']['name']}-{document['provider']['name']}.json"
        (directory / name).write_text(json.dumps(document))
    return directory


@pytest.mark.e2e
def test_pact_broker_publish(live_server: Any, live_tenant: Any, tmp_path: Path) -> None:
    pacts = write_pacts(
        tmp_path / "pacts",
        pact_v2(),
        pact_v3(provider="users"),
        pact_v3_messages(provider="events"),
        pact_v4(provider="profiles"),
    )
    published = pact_cli(
        live_server, live_tenant, "publish", str(pacts), "--consumer-app-version", "1", "--branch", "main"
    )
    assert published.returncode == 0, published.stdout + published.stderr
    assert "Pact successfully published for web version 1 and provider profiles." in published.stdout

    headers = live_tenant.headers()
    listed = httpx.get(f"{live_server.base_url}/api/contracts", params={"consumer": "web"}, headers=headers).json()
    assert sorted((c["provider"], c["kind"], c["interaction_count"]) for c in listed["items"]) == [
        ("api", "pact", 1),
        ("events", "pact", 1),
        ("profiles", "pact", 2),
        ("users", "pact", 2),
    ]
    native = httpx.get(f"{live_server.base_url}/api/contracts/web/1/users", headers=headers).json()
    assert [i["description"] for i in native["interactions"]] == ["list users", "create a user"]
    served = httpx.get(f"{live_server.base_url}/pacts/provider/profiles/consumer/web/version/1", headers=headers).json()
    assert {i["key"] for i in served["interactions"]} == {"5f1b2c3d", "9a8b7c6d"}

    again = pact_cli(live_server, live_tenant, "publish", str(pacts), "--consumer-app-version", "1", "--branch", "main")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "with no content changes" in again.stdout

    changed = write_pacts(tmp_path / "changed", pact_v2(status=201))
    refused = pact_cli(
        live_server, live_tenant, "publish", str(changed), "--consumer-app-version", "1", "--branch", "main"
    )
    assert refused.returncode != 0
    assert "Cannot change the content of the pact for web version 1 and provider api" in refused.stdout

    merged = pact_cli(
        live_server, live_tenant, "publish", str(changed), "--consumer-app-version", "1", "--branch", "main", "--merge"
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "Pact content merged with existing content" in merged.stdout


@pytest.mark.e2e
def test_pact_broker_lists_and_gets_pacts(live_server: Any, live_tenant: Any, tmp_path: Path) -> None:
    pacts = write_pacts(tmp_path / "pacts", pact_v2(), pact_v2("ios"))
    published = pact_cli(
        live_server, live_tenant, "publish", str(pacts), "--consumer-app-version", "3", "--branch", "main"
    )
    assert published.returncode == 0, published.stdout + published.stderr

    listed = pact_cli(live_server, live_tenant, "list-latest-pact-versions", "--output", "json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    pairs = [
        (p["_embedded"]["consumer"]["name"], p["_embedded"]["provider"]["name"])
        for p in json.loads(listed.stdout)["pacts"]
    ]
    assert pairs == [("ios", "api"), ("web", "api")]

    downloads = tmp_path / "downloads"
    got = pact_cli(
        live_server,
        live_tenant,
        "get-pacts",
        "--provider",
        "api",
        "--latest",
        "--download",
        "--download-dir",
        str(downloads),
    )
    assert got.returncode == 0, got.stdout + got.stderr
    assert sorted(path.name for path in downloads.iterdir()) == ["ios-api-3.json", "web-api-3.json"]
    downloaded = json.loads((downloads / "web-api-3.json").read_text())
    assert strip_ids(downloaded)["interactions"] == pact_v2()["interactions"]

    # A downloaded pact (links, timestamps and ids included) republished is the same pact.
    republished = pact_cli(
        live_server, live_tenant, "publish", str(downloads / "web-api-3.json"), "--consumer-app-version", "3"
    )
    assert republished.returncode == 0, republished.stdout + republished.stderr
    assert "with no content changes" in republished.stdout
