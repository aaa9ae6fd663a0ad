"""Contracts: shared contents by sha, following recorded interactions, explicit publishing, isolation, races."""

from __future__ import annotations

import asyncio
import os
from typing import Any
from uuid import UUID

import asyncpg
import msgspec
import pytest

from accord.composition import contract_service
from accord.contracts.following import ContractFollower
from accord.contracts.schemas import ContractPublish
from accord.errors import NotFound
from accord.exchanges.normalize import contract_sha
from tests.test_interactions import make_item

PROBLEM = "urn:accord:problem:"


async def count_rows(table: str) -> int:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table}"))
    finally:
        await connection.close()


def exchange(path: str, status: int = 200, body: Any = None) -> dict[str, Any]:
    return {
        "request": {"method": "GET", "path": path},
        "response": {"status": status, "body": body if body is not None else {"path": path}},
    }


def publication(version: str = "1.0.0", paths: tuple[str, ...] = ("/a", "/b"), **extra: Any) -> dict[str, Any]:
    return {
        "consumer": "web",
        "consumer_version": version,
        "provider": "orders",
        "interactions": [exchange(path) for path in paths],
        **extra,
    }


def record(client: Any, tenant: Any, items: list[dict[str, Any]]) -> None:
    response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant.headers())
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == 0, response.text


class TestContractsFollowInteractions:
    def test_same_interactions_share_one_content_and_different_ones_do_not(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        h = tenant_a.headers()
        record(client, tenant_a, [make_item(version=v, path=p) for v in ("1", "2") for p in ("/a", "/b")])
        record(client, tenant_a, [make_item(version="3", path=p) for p in ("/a", "/c")])

        one, two, three = (client.get(f"/api/contracts/web/{v}/orders", headers=h).json() for v in ("1", "2", "3"))
        assert one["sha"] == two["sha"]
        assert three["sha"] != one["sha"]
        assert run(count_rows, "contract_content") == 2
        assert run(count_rows, "contract_publication") == 3
        listed = client.get("/api/interactions", params={"consumer_version": "1"}, headers=h).json()["items"]
        assert one["sha"] == contract_sha(i["content_hash"] for i in listed)

    def test_contract_follows_new_interactions(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        record(client, tenant_a, [make_item(path="/b", operation="getB")])
        before = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
        assert before["interaction_count"] == 1
        assert before["kind"] == "interactions"

        record(client, tenant_a, [make_item(path="/a"), make_item(path="/b", operation="getB")])
        after = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
        assert after["interaction_count"] == 2
        assert after["sha"] != before["sha"]
        assert after["updated_at"] >= before["updated_at"]
        keys = [interaction["key"] for interaction in after["interactions"]]
        assert keys == sorted(keys)
        by_path = {interaction["request"]["path"]: interaction for interaction in after["interactions"]}
        assert by_path["/b"]["operation"] == "getB"
        assert by_path["/a"]["operation"] == "GET /a"
        assert set(by_path["/a"]) == {"key", "operation", "request", "response"}
        assert by_path["/a"]["response"]["status"] == 200

        content = client.get(
            f"/api/contract-contents/{after['sha']}",
            params={"consumer": "web", "provider": "orders"},
            headers=tenant_a.headers(tenant_a.read_key),
        )
        assert content.status_code == 200
        assert content.json()["content"]["interactions"] == after["interactions"]
        assert content.json()["interaction_count"] == 2
        # The earlier content stays addressable: verifications may point at it.
        old = client.get(
            f"/api/contract-contents/{before['sha']}", params={"consumer": "web", "provider": "orders"}, headers=h
        )
        assert old.status_code == 200

    def test_list_filters_and_paging(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        record(client, tenant_a, [make_item(version="1")])
        record(client, tenant_a, [make_item(version="2", provider="billing")])
        record(client, tenant_a, [make_item(version="3", consumer="mobile")])

        def listed(**params: Any) -> list[tuple[str, str, str]]:
            page = client.get("/api/contracts", params=params, headers=h)
            assert page.status_code == 200, page.text
            return [(c["consumer"], c["consumer_version"], c["provider"]) for c in page.json()["items"]]

        assert listed() == [("mobile", "3", "orders"), ("web", "2", "billing"), ("web", "1", "orders")]
        assert listed(consumer="web") == [("web", "2", "billing"), ("web", "1", "orders")]
        assert listed(provider="orders") == [("mobile", "3", "orders"), ("web", "1", "orders")]
        assert listed(consumer_version="2") == [("web", "2", "billing")]
        assert listed(consumer="nobody") == []
        first = client.get("/api/contracts", params={"limit": 2}, headers=h).json()
        assert first["items"][0]["interaction_count"] == 1
        rest = client.get("/api/contracts", params={"cursor": first["next_cursor"]}, headers=h).json()
        assert [c["consumer_version"] for c in first["items"] + rest["items"]] == ["3", "2", "1"]
        assert rest["next_cursor"] is None

    def test_unknown_contract_and_content_are_404(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        record(client, tenant_a, [make_item()])
        assert client.get("/api/contracts/web/9.9.9/orders", headers=h).status_code == 404
        assert client.get("/api/contracts/web/1.0.0/billing", headers=h).json()["type"] == PROBLEM + "not-found"
        params = {"consumer": "web", "provider": "orders"}
        assert client.get("/api/contract-contents/" + "0" * 64, params=params, headers=h).status_code == 404
        # consumer and provider are required: a sha is unique per consumer and provider only.
        unqualified = client.get("/api/contract-contents/" + "0" * 64, headers=h)
        assert unqualified.status_code == 422
        assert unqualified.json()["type"] == PROBLEM + "validation-failed"


class TestPublish:
    def test_created_unchanged_conflict_replaced(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        created = client.post("/api/contracts", json=publication(consumer_branch="main", tags=["rc"]), headers=h)
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "created"
        assert created.json()["interaction_count"] == 2
        contract = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
        assert contract["sha"] == created.json()["sha"]
        version = client.get("/api/services/web/versions/1.0.0", headers=h).json()
        assert (version["branches"], version["tags"]) == (["main"], ["rc"])

        same = client.post("/api/contracts", json=publication(paths=("/b", "/a", "/a")), headers=h)
        assert same.status_code == 200
        assert same.json()["status"] == "unchanged"
        assert same.json()["sha"] == created.json()["sha"]

        different = client.post("/api/contracts", json=publication(paths=("/a", "/c")), headers=h)
        assert different.status_code == 409
        assert different.json()["type"] == PROBLEM + "conflict"
        assert client.get("/api/contracts/web/1.0.0/orders", headers=h).json()["sha"] == created.json()["sha"]
        paths = {i["request"]["path"] for i in client.get("/api/interactions", headers=h).json()["items"]}
        assert paths == {"/a", "/b"}, "a refused publish must not leave its interactions behind"

        replaced = client.post(
            "/api/contracts", params={"replace": "true"}, json=publication(paths=("/a", "/c")), headers=h
        )
        assert replaced.status_code == 200
        assert replaced.json()["status"] == "replaced"
        contract = client.get("/api/contracts/web/1.0.0/orders", headers=h).json()
        assert contract["sha"] == replaced.json()["sha"] != created.json()["sha"]
        assert {i["request"]["path"] for i in contract["interactions"]} == {"/a", "/c"}
        paths = {i["request"]["path"] for i in client.get("/api/interactions", headers=h).json()["items"]}
        assert paths == {"/a", "/c"}

        # Recording more afterwards still extends the contract.
        record(client, tenant_a, [make_item(path="/d")])
        assert client.get("/api/contracts/web/1.0.0/orders", headers=h).json()["interaction_count"] == 3

    def test_published_and_recorded_contracts_share_content(self, client: Any, run: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/contracts", json=publication(version="1"), headers=h)
        same = [{"consumer": "web", "consumer_version": "2", "provider": "orders", **exchange(p)} for p in ("/b", "/a")]
        record(client, tenant_a, same)
        one = client.get("/api/contracts/web/1/orders", headers=h).json()
        two = client.get("/api/contracts/web/2/orders", headers=h).json()
        assert one["sha"] == two["sha"]
        assert run(count_rows, "contract_content") == 1

    def test_invalid_publications_are_422(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        empty = client.post("/api/contracts", json=publication(paths=()), headers=h)
        assert empty.status_code == 422
        assert empty.json()["errors"][0]["pointer"] == "/interactions"
        nul = publication()
        nul["interactions"][1]["response"]["body"] = "\u0000"
        response = client.post("/api/contracts", json=nul, headers=h)
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"].startswith("/interactions/1/response")
        foreign = publication()
        foreign["interactions"][0]["consumer"] = "web"
        assert client.post("/api/contracts", json=foreign, headers=h).status_code == 422
        assert client.get("/api/contracts", headers=h).json()["items"] == []

    def test_concurrent_identical_publishes(self, run: Any, tenant_a: Any) -> None:
        payload = msgspec.convert(publication(paths=tuple(f"/o/{n}" for n in range(50))), ContractPublish)

        async def race() -> list[Any]:
            return await asyncio.gather(
                *(contract_service(tenant_a.id).publish(payload, replace=False) for _ in range(5))
            )

        results = run(race)
        assert sorted(result.status for result in results) == ["created"] + ["unchanged"] * 4
        assert run(count_rows, "interaction") == 50
        assert run(count_rows, "contract_publication") == 1


def test_service_methods_for_other_slices(client: Any, run: Any, tenant_a: Any) -> None:
    record(client, tenant_a, [make_item(version=v, path=p) for v in ("1", "2") for p in ("/a",)])
    record(client, tenant_a, [make_item(version="3", path="/b")])
    h = tenant_a.headers()
    client.post("/api/services/web/versions", json={"number": "no-contract"}, headers=h)
    versions = {
        v: client.get(f"/api/services/web/versions/{v}", headers=h).json()["id"] for v in ("1", "2", "3", "no-contract")
    }
    provider_id = client.get("/api/services/orders", headers=h).json()["id"]

    async def read() -> Any:
        # A reader of contracts derives the pending ones first (their routes' guard does it for them).
        await ContractFollower(tenant_a.id).settle()
        service = contract_service(tenant_a.id)
        published = await service.contents_for([UUID(version) for version in versions.values()], UUID(provider_id))
        content = await service.get_content(published[0].content_id)
        return published, content

    published, content = run(read)
    assert len(published) == 3  # the version without a contract is absent
    assert {str(p.consumer_version_id) for p in published} == {versions[v] for v in ("1", "2", "3")}
    by_version = {str(p.consumer_version_id): p for p in published}
    one, two, three = (by_version[versions[v]] for v in ("1", "2", "3"))
    assert one.content_id == two.content_id != three.content_id
    assert content.id == published[0].content_id
    assert content.sha == published[0].sha
    assert content.content["interactions"][0]["request"]["path"] in ("/a", "/b")


def test_isolation(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    created = client.post("/api/contracts", json=publication(), headers=a).json()
    sha = created["sha"]
    params = {"consumer": "web", "provider": "orders"}

    assert client.get("/api/contracts", headers=b).json()["items"] == []
    assert client.get("/api/contracts", params={"consumer": "web"}, headers=b).json()["items"] == []
    assert client.get("/api/contracts/web/1.0.0/orders", headers=b).status_code == 404
    assert client.get(f"/api/contract-contents/{sha}", params=params, headers=b).status_code == 404
    # B publishing a different contract under the same names is B's own: created, not a conflict with A's.
    mine = client.post("/api/contracts", json=publication(paths=("/z",)), headers=b)
    assert mine.status_code == 201
    assert client.get("/api/contracts/web/1.0.0/orders", headers=a).json()["sha"] == sha

    a_version = UUID(client.get("/api/services/web/versions/1.0.0", headers=a).json()["id"])
    a_provider = UUID(client.get("/api/services/orders", headers=a).json()["id"])

    async def b_reads_a() -> Any:
        a_content = (await contract_service(tenant_a.id).contents_for([a_version], a_provider))[0].content_id
        return await contract_service(tenant_b.id).contents_for([a_version], a_provider), a_content

    found, a_content = run(b_reads_a)
    assert found == []
    response = client.get("/api/contract-contents/" + sha, params=params, headers=a)
    assert response.json()["id"] == str(a_content)

    with pytest.raises(NotFound):
        run(contract_service(tenant_b.id).get_content, a_content)
