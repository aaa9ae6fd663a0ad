"""Recorded interactions: normalization and hashing, single and batch ingest, dedup, listing, isolation, races."""

from __future__ import annotations

import asyncio
import hashlib
import os
from typing import Any

import asyncpg
import pytest

from accord.composition import interaction_service
from accord.exchanges.normalize import (
    canonical_json,
    content_hash,
    contract_sha,
    interaction_hash,
    normalize_headers,
    normalize_request,
    normalize_response,
)
from accord.http.validation_errors import error_pointer

PROBLEM = "urn:accord:problem:"


def make_item(
    *,
    consumer: str = "web",
    version: str = "1.0.0",
    provider: str = "orders",
    method: str = "GET",
    path: str = "/orders/1",
    status: int = 200,
    body: Any = None,
    **overrides: Any,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "consumer": consumer,
        "consumer_version": version,
        "provider": provider,
        "request": {"method": method, "path": path, "headers": {"Accept": "application/json"}},
        "response": {"status": status, "headers": {"Content-Type": "application/json"}, "body": body or {"id": 1}},
    }
    item.update(overrides)
    return item


async def count_rows(table: str, where: str = "TRUE") -> int:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table} WHERE {where}"))
    finally:
        await connection.close()


def hashes_of(request: dict[str, Any], response: dict[str, Any], provider: str = "orders") -> tuple[str, str]:
    req = canonical_json(normalize_request(**request))
    res = canonical_json(normalize_response(**response))
    return content_hash(provider, req, res), interaction_hash("web", "1", provider, req, res)


class TestNormalization:
    request = {"method": "get", "path": "/a", "query": {"b": "1", "a": ["2", "3"]}, "headers": {}, "body": None}
    response = {"status": 200, "headers": {}, "body": {"x": 1}}

    def test_volatile_headers_are_ignored(self) -> None:
        noisy = {
            "Date": "Mon, 01 Jan 2024 00:00:00 GMT",
            "User-Agent": "curl/8",
            "Content-Length": "12",
            "Connection": "keep-alive",
            "Accept-Encoding": "gzip",
            "Host": "orders.internal",
        }
        quiet = hashes_of(self.request, self.response)
        assert hashes_of({**self.request, "headers": noisy}, {**self.response, "headers": noisy}) == quiet
        assert normalize_headers({**noisy, "X-Trace": "1"}) == {"x-trace": "1"}

    def test_header_name_case_is_ignored_but_values_matter(self) -> None:
        lower = hashes_of({**self.request, "headers": {"accept": "application/json"}}, self.response)
        upper = hashes_of({**self.request, "headers": {"ACCEPT": "application/json"}}, self.response)
        other = hashes_of({**self.request, "headers": {"accept": "text/html"}}, self.response)
        assert lower == upper
        assert other != lower
        assert normalize_headers({"Vary": "a", "vary": "b"}) == {"vary": "a, b"}

    def test_body_differences_matter_and_are_never_dropped(self) -> None:
        base = hashes_of(self.request, self.response)
        assert hashes_of(self.request, {**self.response, "body": {"x": 2}}) != base
        assert hashes_of({**self.request, "body": {"date": "2024"}}, self.response) != base
        assert hashes_of(self.request, {**self.response, "body": {"x": 1, "date": "now"}}) != base
        # Key order inside a body is not a difference (JSON objects are unordered).
        assert hashes_of(self.request, {**self.response, "body": {"y": 1, "x": 1}}) == hashes_of(
            self.request, {**self.response, "body": {"x": 1, "y": 1}}
        )

    def test_method_case_and_query_shape_are_normalized(self) -> None:
        normalized = normalize_request("get", "/a", {"b": "1", "a": ["2", "3"]}, {}, None)
        assert normalized == {
            "method": "GET",
            "path": "/a",
            "query": {"a": ["2", "3"], "b": ["1"]},
            "headers": {},
            "body": None,
        }
        assert list(normalized["query"]) == ["a", "b"]
        assert hashes_of(self.request, self.response) == hashes_of(
            {**self.request, "method": "GET", "query": {"a": ["2", "3"], "b": ["1"]}}, self.response
        )
        assert hashes_of({**self.request, "path": "/A"}, self.response) != hashes_of(self.request, self.response)
        assert hashes_of({**self.request, "query": {"a": ["3", "2"], "b": "1"}}, self.response) != hashes_of(
            self.request, self.response
        )

    def test_hashes_are_sha256_of_canonical_json(self) -> None:
        request = normalize_request("POST", "/o", {}, {"Content-Type": "json"}, {"z": [1, {"b": 2, "a": 1}]})
        response = normalize_response(201, {}, "ok")
        req, res = canonical_json(request), canonical_json(response)
        expected_content = canonical_json({"provider": "orders", "request": request, "response": response})
        expected_key = canonical_json(
            {"consumer": "web", "consumer_version": "1", "provider": "orders", "request": request, "response": response}
        )
        assert content_hash("orders", req, res) == hashlib.sha256(expected_content).hexdigest()
        assert interaction_hash("web", "1", "orders", req, res) == hashlib.sha256(expected_key).hexdigest()
        assert interaction_hash("web", "2", "orders", req, res) != interaction_hash("web", "1", "orders", req, res)
        assert content_hash("billing", req, res) != content_hash("orders", req, res)

    def test_contract_sha_is_order_and_repeat_insensitive(self) -> None:
        assert contract_sha(["b", "a", "b"]) == contract_sha(["a", "b"]) == hashlib.sha256(b"a,b").hexdigest()

    @pytest.mark.parametrize(
        ("message", "pointer"),
        [
            ("Expected `str`, got `int` - at `$.request.method`", "/request/method"),
            ("Object missing required field `provider`", "/provider"),
            ("Object missing required field `path` - at `$.request`", "/request/path"),
            ("Object contains unknown field `x/y` - at `$.response`", "/response/x~1y"),
            ("Expected `str`, got `int` - at `$.request.query[...][0]`", "/request/query"),
            ("Expected `object`, got `str`", ""),
        ],
    )
    def test_validation_messages_become_pointers(self, message: str, pointer: str) -> None:
        assert error_pointer(message)[1] == pointer


class TestRecordOne:
    def test_recorded_then_duplicate_with_the_same_id(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        first = client.post("/api/interactions", json=make_item(), headers=h)
        assert first.status_code == 201, first.text
        assert first.json()["status"] == "recorded"
        # Only volatile headers and header-name case differ: the same interaction.
        again_item = make_item()
        again_item["request"]["headers"] = {"ACCEPT": "application/json", "Date": "today", "User-Agent": "x"}
        again = client.post("/api/interactions", json=again_item, headers=h)
        assert again.status_code == 200
        assert again.json() == {"id": first.json()["id"], "status": "duplicate"}

        stored = client.get(f"/api/interactions/{first.json()['id']}", headers=tenant_a.headers(tenant_a.read_key))
        assert stored.status_code == 200
        body = stored.json()
        assert body["consumer"] == "web"
        assert body["consumer_version"] == "1.0.0"
        assert body["provider"] == "orders"
        assert body["operation"] == "GET /orders/1"
        assert body["request"] == {
            "method": "GET",
            "path": "/orders/1",
            "query": {},
            "headers": {"accept": "application/json"},
            "body": None,
        }
        assert body["response"]["body"] == {"id": 1}
        assert len(body["hash"]) == len(body["content_hash"]) == 64

    def test_explicit_fields_are_kept(self, client: Any, tenant_a: Any) -> None:
        item = make_item(
            operation="getOrder",
            environment="staging",
            recorded_at="2024-05-01T10:00:00+02:00",
            duration_ms=12,
            client_info={"library": "accord-js", "version": "1.2.0"},
            consumer_branch="feat-x",
        )
        created = client.post("/api/interactions", json=item, headers=tenant_a.headers())
        body = client.get(f"/api/interactions/{created.json()['id']}", headers=tenant_a.headers()).json()
        assert body["operation"] == "getOrder"
        assert body["environment"] == "staging"
        assert body["recorded_at"].startswith("2024-05-01T08:00:00")
        assert body["duration_ms"] == 12
        assert body["client_info"] == {"library": "accord-js", "version": "1.2.0"}
        version = client.get("/api/services/web/versions/1.0.0", headers=tenant_a.headers()).json()
        assert version["branches"] == ["feat-x"]
        assert client.get("/api/services/orders", headers=tenant_a.headers()).status_code == 200

    @pytest.mark.parametrize(
        ("change", "pointer"),
        [
            ({"request": {"method": 1, "path": "/x"}}, "/request/method"),
            ({"request": {"method": "GET", "path": "no-slash"}}, "/request/path"),
            ({"response": {"status": 99}}, "/response/status"),
            ({"recorded_at": "2024-05-01T10:00:00"}, "/recorded_at"),
            ({"duration_ms": -1}, "/duration_ms"),
            ({"consumer": "a/b"}, "/consumer"),
            # No input names a tenant; an unknown field is reported where it is.
            ({"tenant": "someone-else"}, "/tenant"),
        ],
    )
    def test_invalid_item_is_422_with_pointer(
        self, client: Any, tenant_a: Any, change: dict[str, Any], pointer: str
    ) -> None:
        response = client.post("/api/interactions", json=make_item(**change), headers=tenant_a.headers())
        assert response.status_code == 422, response.text
        assert response.json()["type"] == PROBLEM + "validation-failed"
        assert pointer in [error.get("pointer") for error in response.json()["errors"]]

    def test_nul_in_body_is_422_not_500(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/interactions", json=make_item(body={"a": "x\u0000y"}), headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/response/body/a"
        # A literal backslash-u0000 text is fine.
        ok = client.post("/api/interactions", json=make_item(body={"a": "\\u0000"}), headers=tenant_a.headers())
        assert ok.status_code == 201

    def test_read_key_cannot_record(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/interactions", json=make_item(), headers=tenant_a.headers(tenant_a.read_key))
        assert response.status_code == 403


class TestRecordBatch:
    def test_bad_items_are_reported_with_pointers_and_good_ones_stored(self, client: Any, tenant_a: Any) -> None:
        missing_provider = make_item(path="/orders/3")
        del missing_provider["provider"]
        items = [
            make_item(path="/orders/1"),
            make_item(method=7, path="/orders/2"),
            missing_provider,
            make_item(path="/orders/4", status=700),
            make_item(path="/orders/5", body={"nul": "\u0000"}),
            "not an object",
            make_item(path="/orders/6"),
        ]
        response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["recorded"], body["duplicates"], body["errors"]) == (2, 0, 5)
        assert [r["status"] for r in body["results"]] == [
            "recorded",
            "error",
            "error",
            "error",
            "error",
            "error",
            "recorded",
        ]
        assert [r["index"] for r in body["results"]] == list(range(7))
        pointers = [r["error"]["pointer"] for r in body["results"] if r["status"] == "error"]
        assert pointers == [
            "/items/1/request/method",
            "/items/2/provider",
            "/items/3/response/status",
            "/items/4/response",
            "/items/5",
        ]
        assert all(r["error"]["detail"] for r in body["results"] if r["status"] == "error")
        assert "id" not in body["results"][1]
        listed = client.get("/api/interactions", headers=tenant_a.headers()).json()["items"]
        assert sorted(i["request"]["path"] for i in listed) == ["/orders/1", "/orders/6"]
        assert {i["id"] for i in listed} == {body["results"][0]["id"], body["results"][6]["id"]}

    def test_duplicates_within_and_across_batches(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        items = [make_item(path="/a"), make_item(path="/b"), make_item(path="/a"), make_item(path="/A")]
        first = client.post("/api/interactions/batch", json={"items": items}, headers=h).json()
        assert [r["status"] for r in first["results"]] == ["recorded", "recorded", "duplicate", "recorded"]
        assert first["results"][0]["id"] == first["results"][2]["id"]
        assert (first["recorded"], first["duplicates"]) == (3, 1)

        second = client.post(
            "/api/interactions/batch", json={"items": [make_item(path="/b"), make_item(path="/c")]}, headers=h
        ).json()
        assert [r["status"] for r in second["results"]] == ["duplicate", "recorded"]
        assert second["results"][0]["id"] == first["results"][1]["id"]
        # The same request in another consumer version is a new interaction (the dedup key includes it).
        other = client.post(
            "/api/interactions/batch", json={"items": [make_item(path="/a", version="2.0.0")]}, headers=h
        ).json()
        assert other["results"][0]["status"] == "recorded"
        assert len(client.get("/api/interactions", headers=h).json()["items"]) == 5

    def test_5000_items_accepted_5001_rejected(self, client: Any, run: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        items = [make_item(path=f"/orders/{n}", version="big") for n in range(5000)]
        accepted = client.post("/api/interactions/batch", json={"items": items}, headers=h)
        assert accepted.status_code == 200
        assert accepted.json()["recorded"] == 5000
        assert run(count_rows, "interaction") == 5000
        contract = client.get("/api/contracts/web/big/orders", headers=h).json()
        assert contract["interaction_count"] == 5000

        rejected = client.post(
            "/api/interactions/batch", json={"items": [*items, make_item(path="/one-more")]}, headers=h
        )
        assert rejected.status_code == 422
        assert rejected.json()["type"] == PROBLEM + "validation-failed"
        assert rejected.json()["errors"][0]["pointer"] == "/items"
        assert client.post("/api/interactions/batch", json={"items": []}, headers=h).status_code == 422
        assert run(count_rows, "interaction") == 5000

    def test_versions_with_branches_are_auto_created(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        items = [
            make_item(version="abc123", consumer_branch="main"),
            make_item(version="abc123", consumer_branch="release-1", path="/x"),
            make_item(consumer="mobile", version="7", provider="billing"),
        ]
        assert client.post("/api/interactions/batch", json={"items": items}, headers=h).json()["recorded"] == 3
        version = client.get("/api/services/web/versions/abc123", headers=h).json()
        assert sorted(version["branches"]) == ["main", "release-1"]
        services = client.get("/api/services", headers=h).json()["items"]
        assert [s["name"] for s in services] == ["billing", "mobile", "orders", "web"]

    def test_a_known_version_named_with_a_new_branch_joins_it(self, client: Any, tenant_a: Any) -> None:
        """Batches naming what exists take the one-statement look-up; anything it lacks still gets created."""
        h = tenant_a.headers()
        first = client.post(
            "/api/interactions/batch", json={"items": [make_item(version="9", consumer_branch="main")]}, headers=h
        )
        again = [make_item(version="9", consumer_branch="main", path="/again")]
        assert client.post("/api/interactions/batch", json={"items": again}, headers=h).json()["recorded"] == 1
        on_feature = [make_item(version="9", consumer_branch="feature", path="/f", provider="billing")]
        assert client.post("/api/interactions/batch", json={"items": on_feature}, headers=h).json()["recorded"] == 1

        version = client.get("/api/services/web/versions/9", headers=h).json()
        assert sorted(version["branches"]) == ["feature", "main"]
        services = client.get("/api/services", headers=h).json()["items"]
        assert [s["name"] for s in services] == ["billing", "orders", "web"]
        listed = client.get("/api/interactions", params={"consumer_version": "9"}, headers=h).json()["items"]
        assert {item["consumer_version"] for item in listed} == {"9"}
        assert len(listed) == 3
        assert first.json()["results"][0]["status"] == "recorded"

    def test_body_must_be_json(self, client: Any, tenant_a: Any) -> None:
        response = client.post(
            "/api/interactions/batch",
            content=b"items: []",
            headers={**tenant_a.headers(), "Content-Type": "application/yaml"},
        )
        assert response.status_code == 415


class TestListInteractions:
    def test_filters_and_newest_first_paging(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        items = [
            make_item(path="/1", recorded_at="2024-01-01T00:00:00Z", environment="ci"),
            make_item(path="/2", recorded_at="2024-01-02T00:00:00Z", operation="listOrders"),
            make_item(path="/3", recorded_at="2024-01-03T00:00:00Z", version="2.0.0"),
            make_item(path="/4", recorded_at="2024-01-04T00:00:00Z", provider="billing"),
            make_item(path="/5", recorded_at="2024-01-05T00:00:00Z", consumer="mobile"),
        ]
        client.post("/api/interactions/batch", json={"items": items}, headers=h)

        def paths(**params: Any) -> list[str]:
            page = client.get("/api/interactions", params=params, headers=h)
            assert page.status_code == 200, page.text
            return [i["request"]["path"] for i in page.json()["items"]]

        assert paths() == ["/5", "/4", "/3", "/2", "/1"]
        assert paths(provider="billing") == ["/4"]
        assert paths(consumer="mobile") == ["/5"]
        assert paths(consumer_version="2.0.0") == ["/3"]
        assert paths(operation="listOrders") == ["/2"]
        assert paths(operation="GET /1") == ["/1"]
        assert paths(environment="ci") == ["/1"]
        assert paths(recorded_from="2024-01-02T00:00:00Z", recorded_to="2024-01-04T00:00:00Z") == ["/3", "/2"]
        assert paths(provider="orders", consumer="web", consumer_version="1.0.0") == ["/2", "/1"]
        assert paths(provider="nobody") == []

        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/interactions", params=params, headers=h).json()
            seen += [i["request"]["path"] for i in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert seen == ["/5", "/4", "/3", "/2", "/1"]

    def test_bad_cursor_and_unknown_id(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        bad = client.get("/api/interactions", params={"cursor": "nope"}, headers=h)
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["parameter"] == "cursor"
        missing = client.get("/api/interactions/00000000-0000-0000-0000-000000000000", headers=h)
        assert missing.status_code == 404
        assert missing.json()["type"] == PROBLEM + "not-found"


def test_isolation(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    recorded = client.post("/api/interactions", json=make_item(), headers=a).json()
    batch = client.post("/api/interactions/batch", json={"items": [make_item(path="/2")]}, headers=a).json()

    assert client.get(f"/api/interactions/{recorded['id']}", headers=b).status_code == 404
    assert client.get(f"/api/interactions/{batch['results'][0]['id']}", headers=b).status_code == 404
    assert client.get("/api/interactions", headers=b).json()["items"] == []
    assert client.get("/api/interactions", params={"provider": "orders"}, headers=b).json()["items"] == []
    # B recording the same interaction gets its own row, not A's (201, a different id), in both endpoints.
    mine = client.post("/api/interactions", json=make_item(), headers=b)
    assert mine.status_code == 201
    assert mine.json()["id"] != recorded["id"]
    mine_batch = client.post("/api/interactions/batch", json={"items": [make_item(path="/2")]}, headers=b).json()
    assert mine_batch["results"][0]["status"] == "recorded"
    assert mine_batch["results"][0]["id"] != batch["results"][0]["id"]
    assert len(client.get("/api/interactions", headers=a).json()["items"]) == 2
    assert run(count_rows, "interaction", f"tenant = '{tenant_a.id}'") == 2


def test_two_ci_jobs_uploading_the_same_interactions(client: Any, run: Any, tenant_a: Any) -> None:
    """Two jobs racing with the same 200 interactions: 200 rows, no errors, every item has an id."""
    items = [make_item(path=f"/orders/{n}", consumer_branch="main") for n in range(200)]

    async def race() -> list[Any]:
        return await asyncio.gather(*(interaction_service(tenant_a.id).record_batch(items) for _ in range(2)))

    results = run(race)
    assert all(result.errors == 0 for result in results)
    assert sum(result.recorded for result in results) == 200
    assert sum(result.duplicates for result in results) == 200
    assert [r.id for r in results[0].results] == [r.id for r in results[1].results]
    assert run(count_rows, "interaction") == 200
    contract = client.get("/api/contracts/web/1.0.0/orders", headers=tenant_a.headers()).json()
    assert contract["interaction_count"] == 200


def test_racing_batches_of_one_consumer_version_converge(client: Any, run: Any, tenant_a: Any) -> None:
    """8 batches of disjoint interactions of one consumer version at once: the contract holds all of them."""
    batches = [[make_item(path=f"/orders/{job}/{n}") for n in range(50)] for job in range(8)]

    async def race() -> list[Any]:
        return await asyncio.gather(*(interaction_service(tenant_a.id).record_batch(batch) for batch in batches))

    results = run(race)
    assert [result.recorded for result in results] == [50] * 8
    assert run(count_rows, "interaction") == 400
    contract = client.get("/api/contracts/web/1.0.0/orders", headers=tenant_a.headers()).json()
    assert run(count_rows, "contract_publication") == 1
    assert contract["interaction_count"] == 400
    paths = {interaction["request"]["path"] for interaction in contract["interactions"]}
    assert paths == {f"/orders/{job}/{n}" for job in range(8) for n in range(50)}
    listed = client.get("/api/interactions", params={"limit": 500}, headers=tenant_a.headers()).json()["items"]
    assert contract["sha"] == contract_sha(i["content_hash"] for i in listed)


def test_a_batch_costs_the_same_statements_whatever_its_size(
    run: Any, tenant_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3 items or 600 over many versions and providers: the same number of SQL statements."""
    from accord.db.repository import TenantRepository

    statements: list[str] = []
    fetch, execute = TenantRepository.fetch_records, TenantRepository.execute

    async def counting_fetch(self: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return await fetch(self, sql, *args)

    async def counting_execute(self: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return await execute(self, sql, *args)

    monkeypatch.setattr(TenantRepository, "fetch_records", counting_fetch)
    monkeypatch.setattr(TenantRepository, "execute", counting_execute)

    def statements_for(items: list[dict[str, Any]]) -> int:
        statements.clear()
        run(interaction_service(tenant_a.id).record_batch, items)
        return len(statements)

    small = [make_item(version="s", consumer_branch="main")] * 2 + [make_item(version="s", path="/2")]
    large = [
        make_item(consumer=f"c{n % 4}", version=f"v{n % 3}", provider=f"p{n % 6}", consumer_branch="b", path=f"/{n}")
        for n in range(300)
    ] * 2
    # 14 = the writes (the request vectors' among them), contract following, and the one look-up of the
    # providers' latest specs.
    assert statements_for(small) == statements_for(large) <= 14
    # Once the services, versions and branches exist (every later batch of a CI run), one look-up replaces the
    # six statements that create them: that look-up, the providers' specs, the vectors, the interactions and the
    # contract marks.
    assert statements_for([make_item(version="s", consumer_branch="main", path="/3")]) == 5, statements


def orders_spec(get_order_id: str = "getOrder", *, with_delete: bool = False) -> dict[str, Any]:
    """OpenAPI 3.0 for `orders` served under /v1: `/orders/{id}` GET (and DELETE) and `/orders/new` GET."""
    ok = {"200": {"description": "ok"}}
    param = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
    by_id: dict[str, Any] = {"get": {"operationId": get_order_id, "parameters": [param], "responses": ok}}
    if with_delete:
        by_id["delete"] = {"parameters": [param], "responses": ok}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Orders", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": {"/orders/{id}": by_id, "/orders/new": {"get": {"responses": ok}}},
    }


class TestOperationResolution:
    """Items without an operation get the one their provider's latest spec names, else 'METHOD /path'."""

    @staticmethod
    def upload_spec(client: Any, tenant: Any, version: str, document: dict[str, Any]) -> None:
        response = client.post(
            f"/api/services/orders/versions/{version}/spec", json=document, headers=tenant.headers(tenant.write_key)
        )
        assert response.status_code == 201, response.text

    @staticmethod
    def record(client: Any, tenant: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant.headers())
        assert response.status_code == 200, response.text
        assert response.json()["errors"] == 0, response.text
        results: list[dict[str, Any]] = response.json()["results"]
        return results

    @staticmethod
    def operations(client: Any, tenant: Any, **params: Any) -> dict[tuple[str, str], str]:
        """{(method, path with query): operation} of the listed interactions."""
        page = client.get("/api/interactions", params={"limit": 200, **params}, headers=tenant.headers())
        assert page.status_code == 200, page.text
        found: dict[tuple[str, str], str] = {}
        for item in page.json()["items"]:
            request = item["request"]
            query = "&".join(f"{k}={v}" for k, values in request["query"].items() for v in values)
            found[(request["method"], request["path"] + (f"?{query}" if query else ""))] = item["operation"]
        return found

    def test_batch_resolves_through_the_providers_latest_spec(self, client: Any, tenant_a: Any) -> None:
        self.upload_spec(client, tenant_a, "1.0.0", orders_spec())
        with_query = make_item(path="/orders/7")
        with_query["request"]["query"] = {"expand": "lines"}
        self.record(
            client,
            tenant_a,
            [
                make_item(path="/v1/orders/42"),  # under the server's base path
                make_item(path="/orders/new"),  # relative to it; the literal beats `{id}`, and it has no operationId
                with_query,
                make_item(path="/orders/8?expand=lines"),  # a query string in the path doesn't hide the operation
                make_item(method="DELETE", path="/orders/42"),  # the path matches but not the method
                make_item(path="/stock/1?page=2"),  # no such path: the fallback drops the query string
                make_item(path="/v1/orders/43", operation="custom"),  # explicit: kept
                make_item(provider="billing", path="/orders/42"),  # billing has no spec
                make_item(provider="billing", path="/invoices?page=2#top"),
            ],
        )
        assert self.operations(client, tenant_a, provider="orders") == {
            ("GET", "/v1/orders/42"): "getOrder",
            ("GET", "/orders/new"): "GET /orders/new",
            ("GET", "/orders/7?expand=lines"): "getOrder",
            ("GET", "/orders/8?expand=lines"): "getOrder",
            ("DELETE", "/orders/42"): "DELETE /orders/42",
            ("GET", "/stock/1?page=2"): "GET /stock/1",
            ("GET", "/v1/orders/43"): "custom",
        }
        assert self.operations(client, tenant_a, provider="billing") == {
            ("GET", "/orders/42"): "GET /orders/42",
            ("GET", "/invoices?page=2#top"): "GET /invoices",
        }
        # The list's operation filter finds them by the resolved names.
        assert set(self.operations(client, tenant_a, operation="getOrder")) == {
            ("GET", "/v1/orders/42"),
            ("GET", "/orders/7?expand=lines"),
            ("GET", "/orders/8?expand=lines"),
        }
        assert set(self.operations(client, tenant_a, operation="GET /orders/new")) == {("GET", "/orders/new")}
        assert set(self.operations(client, tenant_a, operation="DELETE /orders/42")) == {("DELETE", "/orders/42")}
        assert set(self.operations(client, tenant_a, operation="custom")) == {("GET", "/v1/orders/43")}
        assert set(self.operations(client, tenant_a, operation="GET /orders/42")) == {("GET", "/orders/42")}
        assert self.operations(client, tenant_a, provider="orders", operation="GET /orders/{id}") == {}

    def test_single_record_and_contract_publish_resolve_too(self, client: Any, tenant_a: Any) -> None:
        self.upload_spec(client, tenant_a, "1.0.0", orders_spec())
        single = client.post("/api/interactions", json=make_item(path="/orders/1"), headers=tenant_a.headers())
        assert single.status_code == 201, single.text
        published = client.post(
            "/api/contracts",
            json={
                "consumer": "web",
                "consumer_version": "2.0.0",
                "provider": "orders",
                "interactions": [
                    {"request": {"method": "GET", "path": "/v1/orders/5"}, "response": {"status": 200}},
                    {"request": {"method": "PUT", "path": "/orders/5"}, "response": {"status": 204}},
                    {
                        "operation": "mine",
                        "request": {"method": "GET", "path": "/orders/6"},
                        "response": {"status": 200},
                    },
                ],
            },
            headers=tenant_a.headers(),
        )
        assert published.status_code == 201, published.text
        assert self.operations(client, tenant_a, provider="orders") == {
            ("GET", "/orders/1"): "getOrder",
            ("GET", "/v1/orders/5"): "getOrder",
            ("PUT", "/orders/5"): "PUT /orders/5",
            ("GET", "/orders/6"): "mine",
        }
        contract = client.get("/api/contracts/web/2.0.0/orders", headers=tenant_a.headers()).json()
        assert sorted(i["operation"] for i in contract["interactions"]) == ["PUT /orders/5", "getOrder", "mine"]

    def test_a_newer_spec_changes_resolution_for_later_uploads(self, client: Any, tenant_a: Any) -> None:
        before_any = self.record(client, tenant_a, [make_item(version="0.1.0", path="/orders/42")])
        self.upload_spec(client, tenant_a, "1.0.0", orders_spec())
        first = self.record(client, tenant_a, [make_item(version="1.0.0", path="/orders/42")])
        self.upload_spec(client, tenant_a, "2.0.0", orders_spec("fetchOrder", with_delete=True))
        later = [make_item(version="2.0.0", path="/orders/42"), make_item(version="2.0.0", method="DELETE")]
        self.record(client, tenant_a, later)
        # Re-uploads are duplicates: the operation is not part of the hash, and the stored one stays.
        again = self.record(
            client, tenant_a, [make_item(version="0.1.0", path="/orders/42"), make_item(path="/orders/42")]
        )
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
        assert [r["id"] for r in again] == [before_any[0]["id"], first[0]["id"]]

        def by_version(version: str) -> dict[tuple[str, str], str]:
            return self.operations(client, tenant_a, provider="orders", consumer_version=version)

        assert by_version("0.1.0") == {("GET", "/orders/42"): "GET /orders/42"}
        assert by_version("1.0.0") == {("GET", "/orders/42"): "getOrder"}
        assert by_version("2.0.0") == {
            ("GET", "/orders/42"): "fetchOrder",
            ("DELETE", "/orders/1"): "DELETE /orders/{id}",
        }
        # The same request with and without an explicit operation is one interaction (same hashes).
        explicit = self.record(client, tenant_a, [make_item(version="2.0.0", path="/orders/42", operation="x")])
        assert explicit[0]["status"] == "duplicate"

    def test_another_tenants_spec_is_not_used(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        self.upload_spec(client, tenant_a, "1.0.0", orders_spec())
        self.record(client, tenant_b, [make_item(path="/v1/orders/42")])
        self.record(client, tenant_a, [make_item(path="/v1/orders/42")])
        assert self.operations(client, tenant_b) == {("GET", "/v1/orders/42"): "GET /v1/orders/42"}
        assert self.operations(client, tenant_a) == {("GET", "/v1/orders/42"): "getOrder"}
