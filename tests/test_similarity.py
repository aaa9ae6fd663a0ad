"""Similarity search: /api/interactions/{id}/similar, /api/interactions/search and the same for fixtures, on a
seeded corpus whose neighbours are known; isolation between tenants."""

from __future__ import annotations

from typing import Any

NOT_FOUND = "urn:accord:problem:not-found"


def _item(consumer: str, method: str, path: str, *, query: Any = None, body: Any = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "path": path, "headers": {"Accept": "application/json"}}
    if query is not None:
        request["query"] = query
    if body is not None:
        request["body"] = body
    return {
        "consumer": consumer,
        "consumer_version": "1.0.0",
        "provider": "orders",
        "request": request,
        "response": {"status": 200, "body": {"ok": True}},
    }


def seed(client: Any, tenant: Any) -> dict[str, str]:
    """Four request shapes, several of each; {label: id} of every interaction."""
    items: list[dict[str, Any]] = []
    labels: list[str] = []
    for n in range(1, 9):
        items.append(_item("web", "GET", f"/orders/{n}"))
        labels.append(f"get-order-{n}")
        items.append(_item("web", "GET", f"/customers/{n}/addresses"))
        labels.append(f"get-addresses-{n}")
        items.append(_item("mobile", "POST", "/orders", body={"sku": f"SKU-{n}", "quantity": n, "notes": "x"}))
        labels.append(f"create-order-{n}")
        items.append(_item("mobile", "GET", "/orders", query={"page": str(n), "status": "open"}))
        labels.append(f"list-orders-{n}")
    response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant.headers())
    assert response.status_code == 200, response.text
    return {label: result["id"] for label, result in zip(labels, response.json()["results"], strict=True)}


def _paths(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (item["interaction"]["request"]["method"], item["interaction"]["request"]["path"]) for item in body["items"]
    ]


class TestSimilarInteractions:
    def test_neighbours_of_an_interaction_are_the_same_operation_first(self, client: Any, tenant_a: Any) -> None:
        ids = seed(client, tenant_a)
        response = client.get(f"/api/interactions/{ids['get-order-3']}/similar?k=7", headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) == 7
        # The other seven GET /orders/{n} are nearer than anything else; the interaction itself is left out.
        assert {path for _, path in _paths(body)} == {f"/orders/{n}" for n in range(1, 9) if n != 3}
        scores = [item["score"] for item in body["items"]]
        assert scores == sorted(scores, reverse=True)
        assert all(0.5 < score < 1 for score in scores)

    def test_search_by_sample_request_finds_the_exact_one_first(self, client: Any, tenant_a: Any) -> None:
        ids = seed(client, tenant_a)
        sample = {"method": "POST", "path": "/orders", "body": {"sku": "SKU-5", "quantity": 5, "notes": "x"}}
        response = client.post(
            "/api/interactions/search", json={"request": sample, "k": 8}, headers=tenant_a.headers(tenant_a.read_key)
        )
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert items[0]["interaction"]["id"] == ids["create-order-5"]
        assert items[0]["score"] == 1.0
        assert {item["interaction"]["id"] for item in items} == {ids[f"create-order-{n}"] for n in range(1, 9)}

    def test_filters_narrow_the_search(self, client: Any, tenant_a: Any) -> None:
        seed(client, tenant_a)
        sample = {"method": "GET", "path": "/orders/2"}
        response = client.post(
            "/api/interactions/search",
            json={"request": sample, "consumer": "mobile", "k": 20},
            headers=tenant_a.headers(),
        )
        assert response.status_code == 200
        items = response.json()["items"]
        assert len(items) == 16
        assert {item["interaction"]["consumer"] for item in items} == {"mobile"}
        # Of mobile's requests, the GETs to /orders are nearer to a GET /orders/2 than the POSTs.
        assert [item["interaction"]["request"]["method"] for item in items[:8]] == ["GET"] * 8
        by_operation = client.post(
            "/api/interactions/search",
            json={"request": sample, "operation": "GET /orders/2", "k": 20},
            headers=tenant_a.headers(),
        )
        assert [item["interaction"]["request"]["path"] for item in by_operation.json()["items"]] == ["/orders/2"]

    def test_unknown_provider_is_404(self, client: Any, tenant_a: Any) -> None:
        response = client.post(
            "/api/interactions/search",
            json={"request": {"method": "GET", "path": "/x"}, "provider": "nobody"},
            headers=tenant_a.headers(),
        )
        assert response.status_code == 404
        assert response.json()["type"] == NOT_FOUND

    def test_k_out_of_range_is_a_validation_problem(self, client: Any, tenant_a: Any) -> None:
        ids = seed(client, tenant_a)
        response = client.get(f"/api/interactions/{ids['get-order-1']}/similar?k=0", headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["type"] == "urn:accord:problem:validation-failed"

    def test_another_tenants_interaction_is_404_and_never_a_neighbour(
        self, client: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        ids = seed(client, tenant_a)
        response = client.get(f"/api/interactions/{ids['get-order-1']}/similar", headers=tenant_b.headers())
        assert response.status_code == 404
        assert response.json()["type"] == NOT_FOUND
        searched = client.post(
            "/api/interactions/search",
            json={"request": {"method": "GET", "path": "/orders/1"}},
            headers=tenant_b.headers(),
        )
        assert searched.status_code == 200
        assert searched.json()["items"] == []


def _fixture(path: str, body: Any = None, method: str = "GET") -> dict[str, Any]:
    request: dict[str, Any] = {"method": method, "path": path}
    if body is not None:
        request["body"] = body
    return {"provider": "orders", "operation": f"{method} {path}", "request": request, "response": {"status": 200}}


class TestSimilarFixtures:
    def test_search_and_neighbours(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        proposals = [_fixture(f"/orders/{n}") for n in range(1, 6)] + [
            _fixture("/orders", body={"sku": "A", "quantity": n}, method="POST") for n in range(1, 4)
        ]
        response = client.post("/api/fixtures/batch", json={"items": proposals}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        ids = [item["id"] for item in response.json()["items"]]
        searched = client.post(
            "/api/fixtures/search",
            json={"request": {"method": "POST", "path": "/orders", "body": {"sku": "A", "quantity": 2}}, "k": 3},
            headers=tenant_a.headers(tenant_a.read_key),
        )
        assert searched.status_code == 200, searched.text
        items = searched.json()["items"]
        assert items[0]["fixture"]["id"] == ids[6]
        assert {item["fixture"]["id"] for item in items} == set(ids[5:])
        similar = client.get(f"/api/fixtures/{ids[0]}/similar?k=4", headers=tenant_a.headers())
        assert similar.status_code == 200
        assert {item["fixture"]["id"] for item in similar.json()["items"]} == set(ids[1:5])
        drafts_only = client.post(
            "/api/fixtures/search",
            json={"request": {"method": "GET", "path": "/orders/1"}, "status": "approved"},
            headers=tenant_a.headers(),
        )
        assert drafts_only.json()["items"] == []
        assert client.get(f"/api/fixtures/{ids[0]}/similar", headers=tenant_b.headers()).status_code == 404


class TestNearDuplicatesOnIngest:
    def test_a_near_duplicate_is_recorded_and_reported(self, client: Any, tenant_a: Any) -> None:
        first = client.post(
            "/api/interactions",
            json=_item("web", "POST", "/orders", body={"sku": "A-1", "quantity": 1, "notes": "gift", "rush": False}),
            headers=tenant_a.headers(),
        )
        assert first.status_code == 201
        assert "near_duplicates" not in first.json()
        unrelated = client.post(
            "/api/interactions", json=_item("web", "GET", "/customers/1"), headers=tenant_a.headers()
        )
        assert "near_duplicates" not in unrelated.json()
        near = client.post(
            "/api/interactions",
            json=_item("web", "POST", "/orders", body={"sku": "A-1", "quantity": 2, "notes": "gift", "rush": False}),
            headers=tenant_a.headers(),
        )
        assert near.status_code == 201  # recorded, not dropped
        body = near.json()
        assert body["status"] == "recorded"
        assert [duplicate["id"] for duplicate in body["near_duplicates"]] == [first.json()["id"]]
        assert 0.95 <= body["near_duplicates"][0]["score"] < 1

    def test_another_tenants_recordings_are_never_near_duplicates(
        self, client: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        def order(quantity: int) -> dict[str, Any]:
            return _item("web", "POST", "/orders", body={"sku": "C-3", "quantity": quantity, "notes": "gift"})

        theirs = client.post("/api/interactions/batch", json={"items": [order(1)]}, headers=tenant_b.headers())
        assert theirs.status_code == 200
        for path in ("/api/interactions", "/api/interactions/batch"):
            body = {"items": [order(2)]} if path.endswith("batch") else order(3)
            response = client.post(path, json=body, headers=tenant_a.headers())
            assert response.status_code in (200, 201), response.text
            result = response.json()["results"][0] if path.endswith("batch") else response.json()
            assert result["status"] == "recorded"
            assert theirs.json()["results"][0]["id"] not in {near["id"] for near in result.get("near_duplicates", [])}
        # The first of tenant A's two is the second's near-duplicate: the search itself works under row security.
        again = client.post("/api/interactions/batch", json={"items": [order(4)]}, headers=tenant_a.headers())
        assert len(again.json()["results"][0]["near_duplicates"]) == 2

    def test_a_batch_reports_near_duplicates_item_by_item(self, client: Any, tenant_a: Any) -> None:
        def order(quantity: int, *, provider: str = "orders", status: int = 200) -> dict[str, Any]:
            item = _item("web", "POST", "/orders", body={"sku": "B-7", "quantity": quantity, "notes": "gift"})
            return {**item, "provider": provider, "response": {"status": status, "body": {"ok": True}}}

        first = client.post("/api/interactions/batch", json={"items": [order(1)]}, headers=tenant_a.headers())
        assert first.status_code == 200
        assert "near_duplicates" not in first.json()["results"][0]
        first_id = first.json()["results"][0]["id"]
        items = [
            order(2),  # near the first
            order(3),  # near the first, and the same request as the next item
            order(3, status=201),
            order(2, provider="billing"),  # near, but of another provider
            _item("web", "GET", "/customers/1"),  # unrelated
            order(2),  # the first item again: a duplicate
        ]
        response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        results = response.json()["results"]
        assert [result["status"] for result in results] == ["recorded"] * 5 + ["duplicate"]
        ids = [result["id"] for result in results]

        def reported(index: int) -> list[str]:
            return [near["id"] for near in results[index].get("near_duplicates", [])]

        # Items of the same batch are stored recordings too: they are reported like the earlier one.
        assert set(reported(0)) == {first_id, ids[1], ids[2]}
        assert all(0.95 <= near["score"] < 1 for near in results[0]["near_duplicates"])
        # Equal requests first (score 1), then the near ones, nearest first; never the item itself.
        assert reported(1)[0] == ids[2]
        assert results[1]["near_duplicates"][0]["score"] == 1
        assert reported(2)[0] == ids[1]
        assert set(reported(1)[1:]) == set(reported(2)[1:]) == {first_id, ids[0]}
        assert reported(3) == []
        assert reported(4) == []
        assert reported(5) == []
        # Nothing was dropped: every recorded item is stored.
        for interaction_id in ids[:5]:
            assert client.get(f"/api/interactions/{interaction_id}", headers=tenant_a.headers()).status_code == 200


def test_demo_history_vectors_are_the_ones_ingest_computes() -> None:
    import msgspec

    from accord.demo.repository import demo_vectors
    from accord.demo.sizes import SIZES
    from accord.embeddings.hashing import embedded_request
    from accord.interactions.prepared import prepare
    from accord.interactions.schemas import InteractionCreate

    by_label = {vector.label: vector.literal for vector in demo_vectors(SIZES["small"])}
    for label, operation, request in (
        ("get/3", "getItem", {"method": "GET", "path": "/items/3"}),
        ("list/2", "listItems", {"method": "GET", "path": "/items", "query": {"page": ["2"]}}),
    ):
        item = msgspec.convert(
            {
                "consumer": "c",
                "consumer_version": "1",
                "provider": "p",
                "request": {**request, "headers": {"Accept": "application/json"}},
                "response": {"status": 200},
            },
            InteractionCreate,
        )
        assert by_label[label] == embedded_request(operation, prepare(item).request_json)[0]


def as_migrations_run(step: Any) -> Any:
    """`step` on the owner's connections, as `accord migrate` runs it (row security does not restrict the
    owner; the test's pool connects as the application role)."""
    from accord.db.engine import operator_tools

    async def run_as_owner() -> None:
        operator_tools.set(True)  # in this task only
        await step()

    return run_as_owner


def test_the_migration_backfills_vectors_as_ingest_computes_them(client: Any, tenant_a: Any, run: Any) -> None:
    import importlib
    import os

    import asyncpg

    ids = seed(client, tenant_a)
    backfill = importlib.import_module("piccolo_migrations.accord_2026_12_05t16_47_00_000000")

    async def vectors() -> dict[str, str]:
        connection = await asyncpg.connect(os.environ["DATABASE_URL"])
        try:
            rows = await connection.fetch(
                "SELECT i.id::text, rv.embedding::text FROM interaction i JOIN request_vector rv "
                "ON rv.tenant = i.tenant AND rv.key = i.vector_key WHERE i.tenant = $1",
                tenant_a.id,
            )
            return {row["id"]: row["embedding"] for row in rows}
        finally:
            await connection.close()

    async def forget_vectors() -> None:
        connection = await asyncpg.connect(os.environ["DATABASE_URL"])
        try:
            await connection.execute("UPDATE interaction SET vector_key = NULL WHERE tenant = $1", tenant_a.id)
            await connection.execute("DELETE FROM request_vector WHERE tenant = $1", tenant_a.id)
        finally:
            await connection.close()

    computed_on_ingest = run(vectors)
    assert set(computed_on_ingest) == set(ids.values())
    run(forget_vectors)
    assert run(vectors) == {}
    run(as_migrations_run(backfill.backfill_interactions))
    assert run(vectors) == computed_on_ingest


def test_a_vectors_text_is_pgvectors_form_and_its_key_is_stable() -> None:
    """Stored keys are digests of this text: its form must never change (here: the form before msgspec wrote it)."""
    from accord.embeddings.hashing import embed_request, vector_key, vector_literal

    vector = embed_request("getItem", {"method": "GET", "path": "/items/3", "query": {"page": ["2"]}})
    assert vector_literal(vector) == "[" + ",".join(str(component) for component in vector) + "]"
    assert vector_literal([1, 0, -12]) == "[1,0,-12]"
    assert vector_key(vector_literal([1, 0, -12])) == "7a12ef9a4ebfec1a77d2b6e5dd9a0c70"
