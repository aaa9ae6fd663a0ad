"""Waits on the database are bounded: an exhausted pool or a runaway statement answers 503 problem+json with
Retry-After within the configured time, never a hung request or a 500."""

from __future__ import annotations

import time
from typing import Any

import pytest

from accord.db.bounded_pool import BoundedWaitPool
from accord.db.engine import get_engine


def test_the_pool_is_bounded_and_statements_have_a_server_side_timeout(client: Any, run: Any) -> None:
    pool = get_engine().pool
    assert isinstance(pool, BoundedWaitPool)

    async def statement_timeout() -> str:
        async with pool.acquire() as connection:
            return str(await connection.fetchval("SHOW statement_timeout"))

    assert run(statement_timeout) == "30s"


def test_an_exhausted_pool_answers_503_within_a_second(client: Any, run: Any, tenant_a: Any) -> None:
    headers = tenant_a.headers()
    assert client.get("/api/interactions", headers=headers).status_code == 200  # the key is cached now
    pool = get_engine().pool
    assert pool is not None

    async def take_all() -> list[Any]:
        return [await pool.acquire() for _ in range(pool.get_max_size())]

    held = run(take_all)
    try:
        started = time.monotonic()
        answer = client.get("/api/interactions", headers=headers)
        elapsed = time.monotonic() - started
    finally:

        async def give_back() -> None:
            for connection in held:
                await pool.release(connection)

        run(give_back)
    assert answer.status_code == 503
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["retry-after"].isdigit()
    assert answer.json()["type"] == "urn:accord:problem:database-unavailable"
    assert elapsed < 1.5, elapsed  # the 1 s acquire timeout, plus the test client's own overhead
    assert client.get("/api/interactions", headers=headers).status_code == 200  # and back at once


@pytest.mark.parametrize(("raw", "expected"), [(None, (1.0, 30.0)), ("0.5", (0.5, 0.5))])
def test_the_waits_are_settings(raw: str | None, expected: tuple[float, float]) -> None:
    from accord.settings import load_settings

    env = {} if raw is None else {"ACCORD_DB_ACQUIRE_TIMEOUT": raw, "ACCORD_DB_STATEMENT_TIMEOUT": raw}
    settings = load_settings(env)
    assert (settings.db_acquire_timeout_seconds, settings.db_statement_timeout_seconds) == expected
