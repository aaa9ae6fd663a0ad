"""Request vectors wait for the background indexer outside the HNSW graph; searches find them all the same."""

from __future__ import annotations

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


async def _index_everything() -> None:
    from accord.similarity.index_queue import index_waiting_vectors

    while await index_waiting_vectors(64):
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
        rows = await neighbours.nearest(me["embedding"], k=7, filters=NeighbourFilters(), exclude=interaction_id)
        return [(str(row["id"]), round(float(row["distance"]), 6)) for row in rows], await _waiting(tenant_id)


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


def test_ingest_leaves_new_vectors_to_the_indexer_until_the_backlog_is_full(
    client: Any, tenant_a: Any, run: Any, indexer_paused: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from accord.interactions import vector_repository

    seed(client, tenant_a)
    assert run(lambda: _waiting(tenant_a.id)) == 32
    monkeypatch.setattr(vector_repository, "MAX_WAITING_VECTORS", 33)
    item = {
        "consumer": "web",
        "consumer_version": "2.0.0",
        "provider": "orders",
        "request": {"method": "GET", "path": "/invoices/1"},
        "response": {"status": 200},
    }
    response = client.post("/api/interactions/batch", json={"items": [item]}, headers=tenant_a.headers())
    assert response.status_code == 200
    assert run(lambda: _waiting(tenant_a.id)) == 33  # room for one more: it waits too
    second = {**item, "request": {"method": "GET", "path": "/invoices/2"}}
    response = client.post("/api/interactions/batch", json={"items": [second]}, headers=tenant_a.headers())
    assert response.status_code == 200
    assert run(lambda: _waiting(tenant_a.id)) == 33  # the backlog is full: indexed at once
    run(_index_everything)
    assert run(lambda: _waiting(tenant_a.id)) == 0


def test_one_indexer_round_serves_every_tenant_under_row_security(
    client: Any, tenant_a: Any, tenant_b: Any, run: Any, indexer_paused: None
) -> None:
    """The application role sees one tenant's rows at a time; the indexer's definer function indexes all."""
    seed(client, tenant_a)
    seed(client, tenant_b)
    assert run(lambda: _waiting(tenant_a.id)) == run(lambda: _waiting(tenant_b.id)) == 32
    from accord.similarity.index_queue import index_waiting_vectors

    assert run(lambda: index_waiting_vectors(1000)) == 64
    assert run(lambda: _waiting(tenant_a.id)) == run(lambda: _waiting(tenant_b.id)) == 0
