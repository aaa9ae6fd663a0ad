from __future__ import annotations

from typing import Any


def test_liveness_needs_nothing(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readiness_reports_every_check_and_the_pool(client: Any) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "pgvector", "migrations"}
    assert body["checks"]["database"]["detail"].startswith("PostgreSQL ")
    assert body["checks"]["pgvector"]["detail"].startswith("vector ")
    assert body["pool"]["max_size"] == 10
    assert 0 <= body["pool"]["in_use"] <= body["pool"]["size"] <= 10


def test_readiness_names_pending_migrations(client: Any, run: Any) -> None:
    from accord.db.engine import get_engine

    async def forget_last_migration() -> Any:
        connection = await get_engine().get_new_connection()
        try:
            return await connection.fetchrow(
                "DELETE FROM migration WHERE id = (SELECT max(id) FROM migration WHERE app_name = 'accord') "
                "RETURNING name, app_name, ran_on"
            )
        finally:
            await connection.close()

    async def remember(row: Any) -> None:
        connection = await get_engine().get_new_connection()
        try:
            await connection.execute("INSERT INTO migration (name, app_name, ran_on) VALUES ($1, $2, $3)", *row)
        finally:
            await connection.close()

    forgotten = run(forget_last_migration)
    try:
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["failing"] == ["migrations"]
        assert "accord migrate" in response.json()["checks"]["migrations"]["detail"]
    finally:
        run(remember, forgotten)


def test_pgvector_values_decode_to_plain_lists(client: Any, run: Any) -> None:
    from accord.db.engine import get_engine

    async def round_trip() -> Any:
        pool = get_engine().pool
        assert pool is not None
        async with pool.acquire() as connection:
            return await connection.fetchval("SELECT $1::vector", [1.0, 2.5, -3.0])

    value = run(round_trip)
    assert value == [1.0, 2.5, -3.0]
    assert type(value) is list


def test_responses_say_how_long_the_server_took(client: Any, tenant_a: Any) -> None:
    for response in (client.get("/health"), client.get("/api/me", headers=tenant_a.headers())):
        name, _, duration = response.headers["server-timing"].partition(";dur=")
        assert name == "app"
        assert float(duration) >= 0
