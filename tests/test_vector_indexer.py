"""Request vectors wait for the background indexer outside the HNSW graph; searches find them all the same."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_similarity import seed


async def _waiting(tenant_id: Any) -> int:
    from accord.db.engine import connection
    from accord.db.row_security import act_for

    act_for(tenant_id)  # the application role sees the rows of the tenant it acts for only
    async with connection() as conn:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM request_vector WHERE tenant = $1 AND NOT indexed", tenant_id
        )
    return count


async def _index_round(limit: int = 64, *, cap: int = 0, quiet_seconds: float = 0.0) -> int:
    """One indexer round; by default any tenant with a vector waiting is served at once (cap 0)."""
    from accord.similarity.index_queue import index_waiting_vectors

    return await index_waiting_vectors(limit, cap=cap, quiet_seconds=quiet_seconds)


async def _index_everything() -> None:
    while await _index_round():
        pass


async def _neighbours(tenant_id: Any, interaction_id: Any, *, waiting: bool) -> tuple[list[tuple[str, float]], int]:
    """The interaction's 7 nearest (id, distance), with every vector of the tenant waiting or indexed; and how
    many were waiting. One transaction: the indexer can't take the rows this unindexes before it ends."""
    from accord.db.engine import connection, get_engine
    from accord.db.row_security import act_for
    from accord.similarity.repository import InteractionNeighbourRepository
    from accord.similarity.schemas import NeighbourFilters

    neighbours = InteractionNeighbourRepository(tenant_id)
    act_for(tenant_id)  # for the raw UPDATE below, as the repository does for its own queries
    async with get_engine().transaction():
        if waiting:
            async with connection() as conn:
                await conn.execute("UPDATE request_vector SET indexed = false WHERE tenant = $1", tenant_id)
        me = await neighbours.vector_of(interaction_id)
        assert me is not None
        rows = await neighbours.nearest(me.embedding, k=7, filters=NeighbourFilters(), exclude=interaction_id)
        return [(str(row.id), round(row.distance, 6)) for row in rows], await _waiting(tenant_id)


@pytest.fixture
def indexer_paused(app: Any, run: Any) -> Iterator[None]:
    """The app's background indexer stopped for the test (and started again after it)."""
    run(app.state.vector_indexer.stop)

    async def start() -> None:
        app.state.vector_indexer.start()

    yield
    run(start)


def test_search_finds_waiting_vectors_as_it_finds_indexed_ones(client: Any, tenant_a: Any, run: Any) -> None:
    ids = seed(client, tenant_a)
    target = ids["get-order-3"]
    while_waiting, waiting = run(lambda: _neighbours(tenant_a.id, target, waiting=True))
    assert waiting == 32  # every vector of the seed is distinct
    run(_index_everything)
    assert run(lambda: _waiting(tenant_a.id)) == 0
    once_indexed, waiting = run(lambda: _neighbours(tenant_a.id, target, waiting=False))
    assert waiting == 0
    assert len(while_waiting) == 7
    assert while_waiting == once_indexed
    assert {ids[f"get-order-{n}"] for n in range(1, 9) if n != 3} == {found for found, _ in once_indexed}


def test_ingest_never_indexes_inline_whatever_the_backlog(
    client: Any, tenant_a: Any, run: Any, indexer_paused: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every new vector waits for the indexer, even past the backlog cap (the indexer's concern, not ingest's)."""
    from accord.similarity import indexer

    monkeypatch.setattr(indexer, "WAITING_VECTORS_CAP", 8)
    seed(client, tenant_a)
    assert run(lambda: _waiting(tenant_a.id)) == 32
    items = [
        {
            "consumer": "web",
            "consumer_version": "2.0.0",
            "provider": "orders",
            "request": {"method": "GET", "path": f"/invoices/{n}", "query": {"n": str(n)}},
            "response": {"status": 200},
        }
        for n in range(40)
    ]
    response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant_a.headers())
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] == 40
    assert run(lambda: _waiting(tenant_a.id)) == 72
    assert run(lambda: _indexed(tenant_a.id)) == 0
    # Found by search before any indexing: the exact scan of the waiting ones.
    search = {"request": {"method": "GET", "path": "/invoices/7", "query": {"n": "7"}}, "k": 1}
    found = client.post("/api/interactions/search", json=search, headers=tenant_a.headers())
    assert found.status_code == 200, found.text
    assert found.json()["items"][0]["interaction"]["request"]["path"] == "/invoices/7"
    assert found.json()["items"][0]["score"] == 1.0
    run(_index_everything)
    assert run(lambda: _waiting(tenant_a.id)) == 0


async def _indexed(tenant_id: Any) -> int:
    from accord.db.engine import connection
    from accord.db.row_security import act_for

    act_for(tenant_id)
    async with connection() as conn:
        count: int = await conn.fetchval("SELECT count(*) FROM request_vector WHERE tenant = $1 AND indexed", tenant_id)
    return count


def test_the_indexer_waits_for_the_end_of_a_burst_unless_the_backlog_is_past_the_cap(
    client: Any, tenant_a: Any, tenant_b: Any, run: Any, indexer_paused: None
) -> None:
    seed(client, tenant_a)
    seed(client, tenant_b)
    # Both tenants just recorded (their burst may go on) and neither is past the cap: nobody is served.
    assert run(lambda: _index_round(cap=32, quiet_seconds=60)) == 0
    # Past the cap, a tenant is served in the middle of its burst, one tenant a round.
    assert run(lambda: _index_round(cap=31, quiet_seconds=60)) == 32
    assert sorted([run(lambda: _waiting(tenant_a.id)), run(lambda: _waiting(tenant_b.id))]) == [0, 32]
    # Once the burst is over (its newest vector is quiet_seconds old), the rest is served whatever its size.
    assert run(lambda: _index_round(cap=1000, quiet_seconds=0)) == 32
    assert run(lambda: _waiting(tenant_a.id)) == run(lambda: _waiting(tenant_b.id)) == 0
    assert run(lambda: _index_round(cap=0, quiet_seconds=0)) == 0


def test_one_indexer_round_serves_every_tenant_under_row_security(
    client: Any, tenant_a: Any, tenant_b: Any, run: Any, indexer_paused: None
) -> None:
    """The application role sees one tenant's rows at a time; the indexer's definer function indexes all (one
    tenant a round)."""
    seed(client, tenant_a)
    seed(client, tenant_b)
    assert run(lambda: _waiting(tenant_a.id)) == run(lambda: _waiting(tenant_b.id)) == 32
    assert run(lambda: _index_round(1000)) == 32
    assert run(lambda: _index_round(1000)) == 32
    assert run(lambda: _waiting(tenant_a.id)) == run(lambda: _waiting(tenant_b.id)) == 0


def test_two_ingests_and_the_indexer_at_once(client: Any, tenant_a: Any, run: Any, indexer_paused: None) -> None:
    """Two CI runs sharing half their requests, batch after batch, while the indexer indexes as fast as it can:
    no error, no duplicate vector or interaction, every vector indexed in the end, no deadlock."""
    from accord.composition import interaction_service

    def batch(job: int, number: int) -> list[dict[str, Any]]:
        return [
            {
                "consumer": "web",
                "consumer_version": "1.0.0",
                # Even items are the same in both jobs: the two ingests insert the same vectors at once.
                "provider": "orders",
                # A body of several values: vectors that differ by one feature may share its bucket.
                "request": {
                    "method": "POST",
                    "path": "/orders",
                    "body": {"batch": number, "item": n, "job": job if n % 2 else 0, "sku": f"S-{number}-{n}"},
                },
                "response": {"status": 200},
            }
            for n in range(20)
        ]

    async def ingest(job: int) -> list[Any]:
        service = interaction_service(tenant_a.id)
        return [await service.record_batch(batch(job, number)) for number in range(10)]

    async def race() -> tuple[list[Any], list[Any], int]:
        done = asyncio.Event()

        async def index_meanwhile() -> int:
            flipped = 0
            while not done.is_set():
                flipped += await _index_round(8)
                await asyncio.sleep(0)
            return flipped

        indexing = asyncio.ensure_future(index_meanwhile())
        first, second = await asyncio.gather(ingest(1), ingest(2))
        done.set()
        return first, second, await indexing

    first, second, _ = run(race)
    results = first + second
    assert all(result.errors == 0 for result in results)
    assert sum(result.recorded for result in results) == 300  # 10 batches x (10 shared + 2 x 10 own)
    assert sum(result.duplicates for result in results) == 100
    run(_index_everything)
    assert run(lambda: _indexed(tenant_a.id)) == 300
    assert run(lambda: _waiting(tenant_a.id)) == 0
    listed = client.get("/api/interactions", params={"limit": 500}, headers=tenant_a.headers()).json()["items"]
    assert len(listed) == len({item["id"] for item in listed}) == 300


@pytest.mark.parametrize("earlier_in_graph", [True, False])
def test_a_batch_finds_near_duplicates_in_the_graph_and_among_the_waiting(
    client: Any, tenant_a: Any, run: Any, indexer_paused: None, earlier_in_graph: bool
) -> None:
    """The earlier recording is found by the HNSW search once indexed, by the exact scan while waiting; other
    operations' vectors in the graph don't hide it (a search runs for an operation the graph holds only)."""
    from tests.test_similarity import _item

    def order(quantity: int) -> dict[str, Any]:
        return _item("web", "POST", "/orders", body={"sku": "N-1", "quantity": quantity, "notes": "gift"})

    others = [_item("web", "GET", f"/customers/{n}", query={"page": str(n)}) for n in range(30)]
    first = client.post("/api/interactions/batch", json={"items": [order(1), *others]}, headers=tenant_a.headers())
    assert first.status_code == 200, first.text
    if earlier_in_graph:
        run(_index_everything)
    assert run(lambda: _waiting(tenant_a.id)) == (0 if earlier_in_graph else 31)
    items = [order(2), _item("web", "GET", "/lonely")]
    again = client.post("/api/interactions/batch", json={"items": items}, headers=tenant_a.headers())
    assert again.status_code == 200, again.text
    results = again.json()["results"]
    assert [near["id"] for near in results[0]["near_duplicates"]] == [first.json()["results"][0]["id"]]
    assert 0.95 <= results[0]["near_duplicates"][0]["score"] < 1
    assert "near_duplicates" not in results[1]
