"""/api/fixtures: proposing (one, a batch, from recorded interactions), review, edits, isolation and races."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from typing import Any

import asyncpg
import pytest

from accord.catalog.service import ServiceCatalog, VersionMention
from accord.composition import fixture_service
from accord.db.repository import TenantRepository
from accord.fixtures.normalize import canonical_json, exchange_hash, normalize_request, normalize_response
from accord.fixtures.review import FixtureReview
from accord.fixtures.schemas import FixtureBatch, FixtureCreate, HttpRequest, HttpResponse
from accord.tenant_ids import TenantId

CONFLICT = "urn:accord:problem:conflict"
NOT_FOUND = "urn:accord:problem:not-found"
INVALID = "urn:accord:problem:validation-failed"


def fixture_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "provider": "orders",
        "operation": "getOrder",
        "request": {"method": "GET", "path": "/orders/1", "headers": {"Accept": "application/json"}},
        "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}},
    }
    body.update(overrides)
    return body


def propose(client: Any, tenant: Any, **overrides: Any) -> dict[str, Any]:
    response = client.post("/api/fixtures", json=fixture_body(**overrides), headers=tenant.headers())
    assert response.status_code in (200, 201), response.text
    result: dict[str, Any] = response.json()
    return result


async def count_rows(table: str, tenant_id: TenantId) -> int:
    # Test-only: counts rows straight from the database, whatever the API would show.
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        count: int = await connection.fetchval(f"SELECT count(*) FROM {table} WHERE tenant = $1", tenant_id)
    finally:
        await connection.close()
    return count


async def record_interaction(
    tenant_id: TenantId,
    *,
    provider: str,
    consumer: str = "web",
    consumer_version: str = "1",
    operation: str = "getOrder",
    request: dict[str, Any],
    response: dict[str, Any],
) -> None:
    """Insert a recorded interaction directly (the interactions slice is not ours to call)."""
    refs = await ServiceCatalog(tenant_id).ensure_versions(
        [VersionMention(service=consumer, number=consumer_version), VersionMention(service=provider, number="0")]
    )
    consumer_ref, provider_ref = refs[(consumer, consumer_version)], refs[(provider, "0")]
    content_hash = exchange_hash(provider=provider, operation=operation, request=request, response=response)
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        await connection.execute(
            "INSERT INTO interaction (tenant, consumer, consumer_version, provider, operation, request, response, "
            "hash, content_hash) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $9)",
            tenant_id,
            consumer_ref.service_id,
            consumer_ref.version_id,
            provider_ref.service_id,
            operation,
            json.dumps(request),
            json.dumps(response),
            uuid.uuid4().hex,
            content_hash,
        )
    finally:
        await connection.close()


class TestNormalize:
    def test_equivalent_exchanges_normalize_alike(self) -> None:
        one = {
            "method": "get",
            "path": "/orders",
            "query": {"b": "2", "a": ["1", "3"]},
            "headers": {"Accept": "application/json", "Date": "Mon", "User-Agent": "curl", "Host": "x"},
            "body": None,
        }
        other = {
            "method": "GET",
            "path": "/orders",
            "query": {"a": ["1", "3"], "b": "2"},
            "headers": {"accept": "application/json", "Content-Length": "0", "Connection": "close"},
        }
        assert normalize_request(one) == normalize_request(other)
        assert normalize_request(one) == {
            "method": "GET",
            "path": "/orders",
            "query": {"a": ["1", "3"], "b": ["2"]},
            "headers": {"accept": "application/json"},
            "body": None,
        }
        assert list(normalize_request(one)["query"]) == ["a", "b"]

    def test_header_names_equal_but_for_case_are_joined(self) -> None:
        headers = {"x-tag": "b", "X-Tag": "a", "Accept": "*/*"}
        assert normalize_request({"method": "GET", "path": "/", "headers": headers})["headers"] == {
            "accept": "*/*",
            "x-tag": "a, b",
        }

    def test_agrees_with_recorded_interactions(self) -> None:
        from accord.exchanges import normalize as interactions

        request = {
            "method": "post",
            "path": "/orders",
            "query": {"z": "1", "a": ["2", "1"]},
            "headers": {"Content-Type": "application/json", "X-Id": "1", "x-id": "2", "Date": "now"},
            "body": {"b": 1, "a": [1]},
        }
        response = {"status": 201, "headers": {"Location": "/orders/1", "Content-Length": "0"}, "body": None}
        assert normalize_request(request) == interactions.normalize_request(**request)
        assert normalize_response(response) == interactions.normalize_response(**response)

    def test_response_keeps_the_body_and_drops_volatile_headers(self) -> None:
        response = {"status": 200, "headers": {"Date": "Tue", "ETag": "x"}, "body": {"z": 1, "a": [2]}}
        assert normalize_response(response) == {"status": 200, "headers": {"etag": "x"}, "body": {"z": 1, "a": [2]}}

    def test_canonical_json_is_compact_with_sorted_keys(self) -> None:
        assert canonical_json({"b": 1, "a": {"d": None, "c": [1, 2]}}) == b'{"a":{"c":[1,2],"d":null},"b":1}'

    def test_hash_ignores_noise_and_sees_content(self) -> None:
        request = {"method": "GET", "path": "/orders/1", "headers": {"Accept": "*/*"}}
        response = {"status": 200, "body": {"id": 1}}

        def digest(**changes: Any) -> str:
            values: dict[str, Any] = {
                "provider": "p",
                "operation": "op",
                "request": request,
                "response": response,
            } | changes
            return exchange_hash(**values)

        base = digest()
        assert len(base) == 64
        assert digest(request={**request, "method": "get", "headers": {"accept": "*/*", "Date": "now"}}) == base
        assert digest(response={**response, "headers": {"Content-Length": "9"}}) == base
        assert digest(provider="q") != base
        assert digest(operation="other") != base
        assert digest(response={**response, "body": {"id": 2}}) != base
        assert digest(response={**response, "status": 201}) != base
        assert digest(request={**request, "query": {"a": "1"}}) != base


class TestPropose:
    def test_new_draft_then_equal_one_links_versions(self, client: Any, tenant_a: Any) -> None:
        writer = tenant_a.headers(tenant_a.write_key)
        first = client.post("/api/fixtures", json=fixture_body(provider_version="1.0.0"), headers=writer)
        assert first.status_code == 201, first.text
        created = first.json()
        assert created["status"] == "draft"
        assert created["source"] == "manual"
        assert created["priority"] == 0
        assert created["versions"] == ["1.0.0"]
        assert created["request"]["query"] == {}
        assert created["approved_by"] is None
        assert client.get("/api/services/orders/versions/1.0.0", headers=writer).status_code == 200

        # Equal up to header case and volatile headers: the same fixture, now valid for 1.1.0 too.
        equal = fixture_body(
            provider_version="1.1.0",
            request={"method": "GET", "path": "/orders/1", "headers": {"accept": "application/json", "Date": "x"}},
            notes="ignored, the existing fixture is kept as it is",
        )
        again = client.post("/api/fixtures", json=equal, headers=writer)
        assert again.status_code == 200
        assert again.json()["id"] == created["id"]
        assert again.json()["versions"] == ["1.0.0", "1.1.0"]
        assert again.json()["notes"] == ""

        repeat = client.post("/api/fixtures", json=equal, headers=writer)
        assert repeat.status_code == 200
        assert repeat.json()["versions"] == ["1.0.0", "1.1.0"]

        other_body = fixture_body(response={"status": 200, "body": {"id": 2}})
        different = client.post("/api/fixtures", json=other_body, headers=writer)
        assert different.status_code == 201
        assert different.json()["id"] != created["id"]
        assert different.json()["versions"] == []

    def test_read_key_cannot_propose(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/fixtures", json=fixture_body(), headers=tenant_a.headers(tenant_a.read_key))
        assert response.status_code == 403
        assert response.json()["type"] == "urn:accord:problem:forbidden"

    @pytest.mark.parametrize(
        ("changes", "pointer"),
        [
            ({"request": {"method": "get", "path": "/orders"}}, "/request/method"),
            ({"request": {"method": "GET", "path": "orders"}}, "/request/path"),
            ({"request": {"method": "GET", "path": "/", "query": {"a": 1}}}, "/request/query"),
            ({"response": {"status": 99}}, "/response/status"),
            ({"response": {"status": 600}}, "/response/status"),
            ({"response": {"status": 200, "headers": {"a": 1}}}, "/response/headers"),
            ({"provider": "a/b"}, "/provider"),
            ({"provider_version": ""}, "/provider_version"),
            ({"operation": ""}, "/operation"),
            ({"source": "robot"}, "/source"),
            ({"priority": "high"}, "/priority"),
        ],
    )
    def test_invalid_fields_are_422_with_pointers(
        self, client: Any, tenant_a: Any, changes: dict[str, Any], pointer: str
    ) -> None:
        response = client.post("/api/fixtures", json=fixture_body(**changes), headers=tenant_a.headers())
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["type"] == INVALID
        assert [error["pointer"] for error in problem["errors"]] == [pointer]

    def test_unknown_and_missing_fields_are_422(self, client: Any, tenant_a: Any) -> None:
        unknown = client.post("/api/fixtures", json=fixture_body(tenant="other"), headers=tenant_a.headers())
        assert unknown.status_code == 422
        assert unknown.json()["type"] == INVALID
        body = fixture_body()
        del body["response"]
        missing = client.post("/api/fixtures", json=body, headers=tenant_a.headers())
        assert missing.status_code == 422
        assert missing.json()["type"] == INVALID
        assert client.get("/api/fixtures", headers=tenant_a.headers()).json()["items"] == []


class TestBatch:
    def test_valid_items_are_stored_and_invalid_ones_reported(self, client: Any, run: Any, tenant_a: Any) -> None:
        items = [
            fixture_body(provider_version="1"),
            fixture_body(response={"status": 99}),
            fixture_body(provider_version="2"),  # equal to item 0
            3,
            fixture_body(provider="billing", operation="listInvoices", priority=5),
            {**fixture_body(), "extra": True},
            {k: v for k, v in fixture_body().items() if k != "operation"},
        ]
        response = client.post("/api/fixtures/batch", json={"items": items}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        result = response.json()
        assert [item["status"] for item in result["items"]] == [
            "created",
            "error",
            "existing",
            "error",
            "created",
            "error",
            "error",
        ]
        assert [item["index"] for item in result["items"]] == list(range(7))
        assert (result["created"], result["existing"], result["failed"]) == (2, 1, 4)
        assert result["items"][2]["id"] == result["items"][0]["id"]
        assert result["items"][1]["error"]["pointer"] == "/items/1/response/status"
        assert result["items"][3]["error"]["pointer"] == "/items/3"
        assert result["items"][5]["error"]["pointer"] == "/items/5/extra"
        assert result["items"][6]["error"]["pointer"] == "/items/6/operation"
        assert "id" not in result["items"][1]

        orders = client.get(f"/api/fixtures/{result['items'][0]['id']}", headers=tenant_a.headers()).json()
        assert orders["versions"] == ["1", "2"]
        assert run(count_rows, "fixture", tenant_a.id) == 2

        again = client.post("/api/fixtures/batch", json={"items": items}, headers=tenant_a.headers()).json()
        assert (again["created"], again["existing"], again["failed"]) == (0, 3, 4)
        assert run(count_rows, "fixture", tenant_a.id) == 2

    def test_a_thousand_items_in_one_batch(self, client: Any, run: Any, tenant_a: Any) -> None:
        items = [fixture_body(request={"method": "GET", "path": f"/orders/{n}"}) for n in range(1000)]
        response = client.post("/api/fixtures/batch", json={"items": items}, headers=tenant_a.headers())
        assert response.status_code == 200
        assert response.json()["created"] == 1000
        assert run(count_rows, "fixture", tenant_a.id) == 1000

    def test_statements_do_not_grow_with_the_batch(self, run: Any, tenant_a: Any, monkeypatch: Any) -> None:
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
        service = fixture_service(tenant_a.id)

        def statements_for(size: int, tag: str) -> int:
            items = [
                fixture_body(
                    provider=f"{tag}-p{n}", provider_version=f"{n}", request={"method": "GET", "path": f"/{n}"}
                )
                for n in range(size)
            ]
            statements.clear()
            result = run(service.propose_batch, FixtureBatch(items=items))
            assert result.created == size
            return len(statements)

        assert statements_for(2, "small") == statements_for(200, "large")

    @pytest.mark.parametrize("items", [[], [fixture_body()] * 1001])
    def test_batch_size_is_bounded(self, client: Any, tenant_a: Any, items: list[Any]) -> None:
        response = client.post("/api/fixtures/batch", json={"items": items}, headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/items"


class TestList:
    def test_filters_order_and_pages(self, client: Any, tenant_a: Any) -> None:
        low = propose(client, tenant_a, provider_version="1", priority=-1)
        high = propose(client, tenant_a, provider_version="2", priority=10, request={"method": "GET", "path": "/a"})
        mid_one = propose(client, tenant_a, source="provider", request={"method": "GET", "path": "/b"})
        mid_two = propose(client, tenant_a, operation="listOrders", request={"method": "GET", "path": "/c"})
        billing = propose(client, tenant_a, provider="billing", provider_version="1")
        client.post(f"/api/fixtures/{mid_one['id']}/approve", headers=tenant_a.headers())

        def ids(**params: Any) -> list[str]:
            response = client.get("/api/fixtures", params=params, headers=tenant_a.headers(tenant_a.read_key))
            assert response.status_code == 200, response.text
            return [item["id"] for item in response.json()["items"]]

        everything = ids()
        assert everything[0] == high["id"]
        assert everything[-1] == low["id"]
        assert set(everything[1:4]) == {mid_one["id"], mid_two["id"], billing["id"]}

        pages: list[str] = []
        cursor = None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/fixtures", params=params, headers=tenant_a.headers()).json()
            pages += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert pages == everything

        assert ids(provider="billing") == [billing["id"]]
        assert ids(provider="orders", version="1") == [low["id"]]
        assert ids(provider="orders", version="2") == [high["id"]]
        assert ids(provider="orders", version="3") == []
        assert ids(provider="nobody") == []
        assert ids(operation="listOrders") == [mid_two["id"]]
        assert ids(status="approved") == [mid_one["id"]]
        assert ids(source="provider") == [mid_one["id"]]
        assert ids(provider="orders", status="draft", source="manual", operation="getOrder") == [high["id"], low["id"]]

    def test_bad_filters_are_422(self, client: Any, tenant_a: Any) -> None:
        version_alone = client.get("/api/fixtures", params={"version": "1"}, headers=tenant_a.headers())
        assert version_alone.status_code == 422
        assert version_alone.json()["errors"][0]["parameter"] == "query.version"
        for params in ({"status": "pending"}, {"source": "robot"}, {"cursor": "nonsense"}, {"limit": 0}):
            response = client.get("/api/fixtures", params=params, headers=tenant_a.headers())
            assert response.status_code == 422, params
            assert response.json()["type"] == INVALID


class TestGet:
    def test_get_includes_versions_and_unknown_is_404(self, client: Any, tenant_a: Any) -> None:
        created = propose(client, tenant_a, provider_version="2.0.0")
        propose(client, tenant_a, provider_version="1.0.0")
        fetched = client.get(f"/api/fixtures/{created['id']}", headers=tenant_a.headers(tenant_a.read_key))
        assert fetched.status_code == 200
        assert fetched.json()["versions"] == ["2.0.0", "1.0.0"]  # in the order the versions were created
        assert fetched.json()["request"]["path"] == "/orders/1"
        assert fetched.json()["response"]["body"] == {"id": 1}
        missing = client.get(f"/api/fixtures/{uuid.uuid4()}", headers=tenant_a.headers())
        assert missing.status_code == 404
        assert missing.json()["type"] == NOT_FOUND


class TestReview:
    def test_transitions(self, client: Any, tenant_a: Any) -> None:
        writer = tenant_a.headers(tenant_a.write_key)
        fixture = propose(client, tenant_a)

        approved = client.post(f"/api/fixtures/{fixture['id']}/approve", headers=writer)
        assert approved.status_code == 200
        assert approved.json()["status"] == "approved"
        assert approved.json()["approved_by"] == "writer"
        assert approved.json()["approved_at"] is not None

        for action in ("approve", "reject"):
            refused = client.post(f"/api/fixtures/{fixture['id']}/{action}", headers=writer)
            assert refused.status_code == 409, action
            assert refused.json()["type"] == CONFLICT
            assert "approved" in refused.json()["detail"]

        deprecated = client.post(f"/api/fixtures/{fixture['id']}/deprecate", headers=writer)
        assert deprecated.status_code == 200
        assert deprecated.json()["status"] == "deprecated"
        assert deprecated.json()["approved_by"] == "writer"
        again = client.post(f"/api/fixtures/{fixture['id']}/deprecate", headers=writer)
        assert again.status_code == 409
        assert "deprecated" in again.json()["detail"]

        draft = propose(client, tenant_a, operation="other")
        not_approved = client.post(f"/api/fixtures/{draft['id']}/deprecate", headers=writer)
        assert not_approved.status_code == 409
        assert "draft" in not_approved.json()["detail"]
        rejected = client.post(f"/api/fixtures/{draft['id']}/reject", headers=writer)
        assert rejected.status_code == 200
        assert rejected.json()["status"] == "rejected"
        assert rejected.json()["approved_by"] is None
        late = client.post(f"/api/fixtures/{draft['id']}/approve", headers=writer)
        assert late.status_code == 409
        assert "rejected" in late.json()["detail"]

    def test_unknown_fixture_and_read_key(self, client: Any, tenant_a: Any) -> None:
        for action in ("approve", "reject", "deprecate"):
            response = client.post(f"/api/fixtures/{uuid.uuid4()}/{action}", headers=tenant_a.headers())
            assert response.status_code == 404
            assert response.json()["type"] == NOT_FOUND
        fixture = propose(client, tenant_a)
        reader = tenant_a.headers(tenant_a.read_key)
        assert client.post(f"/api/fixtures/{fixture['id']}/approve", headers=reader).status_code == 403

    def test_concurrent_approve_and_reject_of_one_draft(self, client: Any, run: Any, tenant_a: Any) -> None:
        fixture = propose(client, tenant_a)
        review = FixtureReview(tenant_a.id)
        fixture_id = uuid.UUID(fixture["id"])

        async def race() -> list[Any]:
            return await asyncio.gather(
                *(review.approve(fixture_id, approved_by="ci") for _ in range(5)),
                *(review.reject(fixture_id) for _ in range(5)),
                return_exceptions=True,
            )

        outcomes = run(race)
        winners = [outcome for outcome in outcomes if not isinstance(outcome, Exception)]
        assert len(winners) == 1
        assert all(type(outcome).__name__ == "Conflict" for outcome in outcomes if isinstance(outcome, Exception))
        final = client.get(f"/api/fixtures/{fixture['id']}", headers=tenant_a.headers()).json()
        assert final["status"] == winners[0].status


class TestBulkApprove:
    def test_all_or_nothing(self, client: Any, tenant_a: Any) -> None:
        admin, writer = tenant_a.headers(), tenant_a.headers(tenant_a.write_key)
        drafts = [propose(client, tenant_a, operation=f"op{n}")["id"] for n in range(2)]
        approved = propose(client, tenant_a, operation="approved")["id"]
        rejected = propose(client, tenant_a, operation="rejected")["id"]
        client.post(f"/api/fixtures/{approved}/approve", headers=admin)
        client.post(f"/api/fixtures/{rejected}/reject", headers=admin)
        unknown = str(uuid.uuid4())

        def status_of(fixture_id: str) -> str:
            status: str = client.get(f"/api/fixtures/{fixture_id}", headers=admin).json()["status"]
            return status

        missing = client.post("/api/fixtures/approve", json={"ids": [drafts[0], unknown]}, headers=writer)
        assert missing.status_code == 404
        assert missing.json()["type"] == NOT_FOUND
        assert unknown in missing.json()["detail"]
        assert [error["pointer"] for error in missing.json()["errors"]] == ["/ids/1"]
        assert status_of(drafts[0]) == "draft"

        blocked = client.post("/api/fixtures/approve", json={"ids": [drafts[0], rejected]}, headers=writer)
        assert blocked.status_code == 409
        assert blocked.json()["type"] == CONFLICT
        assert "rejected" in blocked.json()["detail"]
        assert [error["pointer"] for error in blocked.json()["errors"]] == ["/ids/1"]
        assert status_of(drafts[0]) == "draft"

        done = client.post("/api/fixtures/approve", json={"ids": [*drafts, approved, drafts[0]]}, headers=writer)
        assert done.status_code == 200, done.text
        assert done.json() == {"approved": drafts, "already_approved": [approved]}
        for fixture_id in drafts:
            fixture = client.get(f"/api/fixtures/{fixture_id}", headers=admin).json()
            assert (fixture["status"], fixture["approved_by"]) == ("approved", "writer")
        assert client.get(f"/api/fixtures/{approved}", headers=admin).json()["approved_by"] == "admin"

    @pytest.mark.parametrize("ids", [[], [str(uuid.uuid4()) for _ in range(501)], ["not-a-uuid"]])
    def test_id_list_is_validated(self, client: Any, tenant_a: Any, ids: list[str]) -> None:
        response = client.post("/api/fixtures/approve", json={"ids": ids}, headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["type"] == INVALID
        assert response.json()["errors"][0]["pointer"].startswith("/ids")


class TestUpdate:
    def test_notes_and_priority_keep_the_review(self, client: Any, tenant_a: Any) -> None:
        fixture = propose(client, tenant_a)
        client.post(f"/api/fixtures/{fixture['id']}/approve", headers=tenant_a.headers())
        patched = client.patch(
            f"/api/fixtures/{fixture['id']}", json={"notes": "for checkout", "priority": 3}, headers=tenant_a.headers()
        )
        assert patched.status_code == 200
        body = patched.json()
        assert (body["notes"], body["priority"], body["status"], body["hash"]) == (
            "for checkout",
            3,
            "approved",
            fixture["hash"],
        )
        # Header names in another case are the same content: no new review.
        recased = {"method": "GET", "path": "/orders/1", "headers": {"ACCEPT": "application/json"}}
        same = client.patch(f"/api/fixtures/{fixture['id']}", json={"request": recased}, headers=tenant_a.headers())
        assert same.json()["status"] == "approved"
        assert same.json()["request"]["headers"] == {"ACCEPT": "application/json"}

    def test_new_response_needs_review_and_rehashes(self, client: Any, tenant_a: Any) -> None:
        fixture = propose(client, tenant_a)
        client.post(f"/api/fixtures/{fixture['id']}/approve", headers=tenant_a.headers())
        patched = client.patch(
            f"/api/fixtures/{fixture['id']}",
            json={"response": {"status": 200, "body": {"id": 1, "total": 5}}},
            headers=tenant_a.headers(),
        )
        assert patched.status_code == 200
        body = patched.json()
        assert (body["status"], body["approved_by"], body["approved_at"]) == ("draft", None, None)
        assert body["hash"] != fixture["hash"]
        assert body["response"]["body"] == {"id": 1, "total": 5}
        # The old content is free again, so proposing it makes a new fixture.
        assert client.post("/api/fixtures", json=fixture_body(), headers=tenant_a.headers()).status_code == 201

    def test_operation_change_rehashes_and_collisions_are_409(self, client: Any, tenant_a: Any) -> None:
        first = propose(client, tenant_a)
        second = propose(client, tenant_a, operation="getOrderById")
        collision = client.patch(
            f"/api/fixtures/{second['id']}", json={"operation": "getOrder"}, headers=tenant_a.headers()
        )
        assert collision.status_code == 409
        assert collision.json()["type"] == CONFLICT
        unchanged = client.get(f"/api/fixtures/{second['id']}", headers=tenant_a.headers()).json()
        assert (unchanged["operation"], unchanged["hash"]) == ("getOrderById", second["hash"])
        renamed = client.patch(
            f"/api/fixtures/{second['id']}", json={"operation": "orderById"}, headers=tenant_a.headers()
        )
        assert renamed.status_code == 200
        assert renamed.json()["hash"] not in (first["hash"], second["hash"])

    def test_invalid_edits(self, client: Any, tenant_a: Any) -> None:
        fixture = propose(client, tenant_a)
        for body, pointer in (
            ({"status": "approved"}, None),
            ({"priority": "x"}, "/priority"),
            ({"request": {"method": "GET"}}, None),
        ):
            response = client.patch(f"/api/fixtures/{fixture['id']}", json=body, headers=tenant_a.headers())
            assert response.status_code == 422, body
            if pointer:
                assert response.json()["errors"][0]["pointer"] == pointer
        missing = client.patch(f"/api/fixtures/{uuid.uuid4()}", json={"notes": "x"}, headers=tenant_a.headers())
        assert missing.status_code == 404


class TestDelete:
    def test_delete(self, client: Any, run: Any, tenant_a: Any) -> None:
        fixture = propose(client, tenant_a, provider_version="1")
        assert client.delete(f"/api/fixtures/{fixture['id']}", headers=tenant_a.headers()).status_code == 204
        assert client.get(f"/api/fixtures/{fixture['id']}", headers=tenant_a.headers()).status_code == 404
        again = client.delete(f"/api/fixtures/{fixture['id']}", headers=tenant_a.headers())
        assert again.status_code == 404
        assert again.json()["type"] == NOT_FOUND
        assert run(count_rows, "fixture_version", tenant_a.id) == 0
        assert client.get("/api/services/orders/versions/1", headers=tenant_a.headers()).status_code == 200


class TestFromInteractions:
    def test_drafts_from_successful_distinct_interactions(self, client: Any, run: Any, tenant_a: Any) -> None:
        get_order = {"method": "GET", "path": "/orders/1", "headers": {"Accept": "application/json"}}
        ok = {"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": 1}}
        recordings = [
            # Equal but for volatile headers and the consumer version: one fixture.
            {"request": {**get_order, "headers": {"Accept": "application/json", "Date": "Mon"}}, "response": ok},
            {"request": get_order, "response": {**ok, "headers": {**ok["headers"], "Date": "Tue"}}},
            {"request": {"method": "POST", "path": "/orders", "body": {"qty": 1}}, "response": {"status": 201}},
            {"request": {"method": "GET", "path": "/orders/2"}, "response": {"status": 404}},
            {"request": {"method": "GET", "path": "/orders/3"}, "response": {"status": 500}},
            {"request": {"method": "GET", "path": "/orders/4"}, "response": {"status": 302}},
            # 2xx but not a valid fixture (a relative path): skipped.
            {"request": {"method": "GET", "path": "orders/5"}, "response": {"status": 200}},
        ]
        for number, recording in enumerate(recordings):
            run(
                lambda recording=recording, number=number: record_interaction(
                    tenant_a.id, provider="orders", consumer_version=str(number), **recording
                )
            )
        run(
            lambda: record_interaction(
                tenant_a.id,
                provider="billing",
                request={"method": "GET", "path": "/invoices"},
                response={"status": 200},
            )
        )

        response = client.post(
            "/api/fixtures/from-interactions", json={"provider": "orders"}, headers=tenant_a.headers()
        )
        assert response.status_code == 200, response.text
        assert response.json() == {"created": 2, "existing": 0, "skipped": 1}
        listed = client.get("/api/fixtures", headers=tenant_a.headers()).json()["items"]
        assert sorted(item["response"]["status"] for item in listed) == [200, 201]
        assert {(item["source"], item["status"], item["provider"]) for item in listed} == {
            ("consumer", "draft", "orders")
        }
        fetched = next(item for item in listed if item["response"]["status"] == 200)
        assert fetched["request"]["headers"] == {"accept": "application/json"}  # stored normalized
        assert fetched["response"]["headers"] == {"content-type": "application/json"}

        again = client.post("/api/fixtures/from-interactions", json={"provider": "orders"}, headers=tenant_a.headers())
        assert again.json() == {"created": 0, "existing": 2, "skipped": 1}
        assert run(count_rows, "fixture", tenant_a.id) == 2

    def test_filters_and_limit(self, client: Any, run: Any, tenant_a: Any) -> None:
        for path, consumer, operation in (("/a", "web", "opA"), ("/b", "app", "opB"), ("/c", "web", "opC")):
            run(
                lambda path=path, consumer=consumer, operation=operation: record_interaction(
                    tenant_a.id,
                    provider="orders",
                    consumer=consumer,
                    operation=operation,
                    request={"method": "GET", "path": path},
                    response={"status": 204},
                )
            )
        headers = tenant_a.headers()

        def drafts(**body: Any) -> dict[str, Any]:
            response = client.post(
                "/api/fixtures/from-interactions", json={"provider": "orders", **body}, headers=headers
            )
            assert response.status_code == 200, response.text
            result: dict[str, Any] = response.json()
            return result

        assert drafts(operation="opB")["created"] == 1
        assert drafts(consumer="web", limit=1)["created"] == 1
        assert drafts(consumer="web")["created"] == 1
        operations = sorted(item["operation"] for item in client.get("/api/fixtures", headers=headers).json()["items"])
        assert operations == ["opA", "opB", "opC"]

    def test_unknown_services_and_invalid_bodies(self, client: Any, tenant_a: Any) -> None:
        headers = tenant_a.headers()
        unknown = client.post("/api/fixtures/from-interactions", json={"provider": "nobody"}, headers=headers)
        assert unknown.status_code == 404
        assert unknown.json()["type"] == NOT_FOUND
        client.post("/api/services", json={"name": "orders"}, headers=headers)
        no_consumer = client.post(
            "/api/fixtures/from-interactions", json={"provider": "orders", "consumer": "nobody"}, headers=headers
        )
        assert no_consumer.status_code == 404
        for body, pointer in (({"provider": "orders", "limit": 0}, "/limit"), ({"limit": 5}, None)):
            response = client.post("/api/fixtures/from-interactions", json=body, headers=headers)
            assert response.status_code == 422
            if pointer:
                assert response.json()["errors"][0]["pointer"] == pointer


class TestIsolation:
    def test_tenant_b_can_neither_see_nor_change_a_fixture(
        self, client: Any, run: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        fixture = propose(client, tenant_a, provider_version="1")
        run(
            lambda: record_interaction(
                tenant_a.id, provider="orders", request={"method": "GET", "path": "/x"}, response={"status": 200}
            )
        )
        b = tenant_b.headers()
        url = f"/api/fixtures/{fixture['id']}"

        assert client.get("/api/fixtures", headers=b).json()["items"] == []
        assert client.get("/api/fixtures", params={"provider": "orders", "version": "1"}, headers=b).json() == {
            "items": [],
            "next_cursor": None,
        }
        for response in (
            client.get(url, headers=b),
            client.patch(url, json={"notes": "mine"}, headers=b),
            client.post(f"{url}/approve", headers=b),
            client.post(f"{url}/reject", headers=b),
            client.post(f"{url}/deprecate", headers=b),
            client.post("/api/fixtures/approve", json={"ids": [fixture["id"]]}, headers=b),
            client.post("/api/fixtures/from-interactions", json={"provider": "orders"}, headers=b),
            client.delete(url, headers=b),
        ):
            assert response.status_code == 404, response.request.url
            assert response.json()["type"] == NOT_FOUND

        # The same content in tenant B is B's own fixture; A's is untouched.
        mine = client.post("/api/fixtures", json=fixture_body(provider_version="1"), headers=b)
        assert mine.status_code == 201
        assert mine.json()["id"] != fixture["id"]
        batch = client.post("/api/fixtures/batch", json={"items": [fixture_body()]}, headers=b).json()
        assert batch["items"][0] == {"index": 0, "status": "existing", "id": mine.json()["id"]}
        client.post("/api/fixtures/from-interactions", json={"provider": "orders"}, headers=b)
        assert run(count_rows, "fixture", tenant_b.id) == 1

        theirs = client.get(url, headers=tenant_a.headers()).json()
        assert (theirs["status"], theirs["notes"], theirs["versions"]) == ("draft", "", ["1"])
        assert run(count_rows, "fixture", tenant_a.id) == 1


class TestConcurrency:
    def test_ten_concurrent_equal_proposals_make_one_fixture(self, client: Any, run: Any, tenant_a: Any) -> None:
        service = fixture_service(tenant_a.id)

        def proposal(version: str) -> FixtureCreate:
            return FixtureCreate(
                provider="orders",
                provider_version=version,
                operation="getOrder",
                request=HttpRequest(method="GET", path="/orders/1"),
                response=HttpResponse(status=200, body={"id": 1}),
            )

        async def race() -> list[Any]:
            return await asyncio.gather(*(service.propose(proposal(f"1.{n}")) for n in range(10)))

        outcomes = run(race)
        assert len({fixture.id for fixture, _ in outcomes}) == 1
        assert sum(created for _, created in outcomes) == 1
        assert run(count_rows, "fixture", tenant_a.id) == 1
        assert run(count_rows, "fixture_version", tenant_a.id) == 10
        assert run(count_rows, "service", tenant_a.id) == 1

    def test_concurrent_batches_of_the_same_items(self, client: Any, run: Any, tenant_a: Any) -> None:
        items = [fixture_body(request={"method": "GET", "path": f"/orders/{n}"}) for n in range(20)]
        service = fixture_service(tenant_a.id)

        async def race() -> list[Any]:
            batches = [FixtureBatch(items=list(reversed(items)) if n % 2 else items) for n in range(6)]
            return await asyncio.gather(*(service.propose_batch(batch) for batch in batches))

        results = run(race)
        assert sum(result.created for result in results) == 20
        assert all(result.failed == 0 for result in results)
        assert run(count_rows, "fixture", tenant_a.id) == 20
