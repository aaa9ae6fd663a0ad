"""A PostgreSQL fast shutdown under load answers 503 database-unavailable (never 500), and the server recovers
once the database is back.

The suite's embedded server is shared by every test, so this one starts its own in a temporary directory,
migrated by the `accord serve` it runs against it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from tests.conftest import REPO_ROOT, LiveServer, running_server


def _accord(*args: str, env: dict[str, str]) -> str:
    command = [str(Path(sys.executable).parent / "accord"), *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=60).stdout.strip()


@pytest.fixture
def own_database() -> Iterator[Any]:
    # Under the worktree rather than pytest's tmp dirs: those are shared by every pytest run on the machine,
    # and another run's clean-up may remove them while this server lives.
    from accord.db.embedded import start_embedded_postgres

    data_dir = REPO_ROOT / ".accord" / f"outage-{uuid.uuid4().hex[:8]}"
    database = start_embedded_postgres(data_dir)
    try:
        yield database
    finally:
        database.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def outage_server(own_database: Any) -> Iterator[tuple[LiveServer, str]]:
    """`accord serve` (one worker) against `own_database`, and an admin key of a tenant made there."""
    env = {"DATABASE_URL": own_database.url, "ACCORD_MIGRATE_ON_START": "true", "ACCORD_WORKERS": "1"}
    with running_server(own_database.pgdata.parent / "server.log", ready_seconds=60, **env) as server:
        cli_env = {**os.environ, **env}
        _accord("tenants", "create", "--slug", "outage", "--name", "Outage", env=cli_env)
        key = _accord(
            "keys", "create", "--tenant", "outage", "--name", "ci", "--scopes", "read,write,admin", env=cli_env
        )
        yield server, key


def _pg_ctl(database: Any, *args: str) -> None:
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", *args], pgdata=database.pgdata, user=database._server.system_user, timeout=30)


def _interaction(n: int) -> dict[str, Any]:
    return {
        "consumer": "web",
        "consumer_version": str(n),
        "provider": "orders",
        "request": {"method": "GET", "path": f"/orders/{n}"},
        "response": {"status": 200, "body": {"id": n}},
    }


class Acknowledged:
    """The writes the server said it made (2xx), and how long its slowest 503 took."""

    def __init__(self) -> None:
        self.interactions: set[str] = set()
        self.tags: set[str] = set()
        self.slowest_503 = 0.0
        self.some_written = asyncio.Event()  # set after the first five acknowledged interactions


async def _load(base_url: str, key: str, stop: asyncio.Event, acknowledged: Acknowledged) -> list[tuple[str, int, str]]:
    """Reads and writes on the native and the Pact API from several clients until `stop`."""
    answers: list[tuple[str, int, str]] = []
    counter = itertools.count()
    headers = {"Authorization": f"Bearer {key}"}

    async def client_loop(kind: int) -> None:
        async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:
            while not stop.is_set():
                n = next(counter)
                if kind == 0:
                    request = client.build_request("POST", "/api/interactions", json=_interaction(n))
                elif kind == 1:
                    request = client.build_request("GET", "/api/interactions")
                elif kind == 2:
                    request = client.build_request("PUT", f"/pacticipants/web/versions/{n}/tags/dev")
                else:
                    request = client.build_request("GET", "/pacticipants")
                started = time.monotonic()
                try:
                    response = await client.send(request)
                except httpx.TransportError as exc:
                    answers.append((f"{request.method} {request.url.path}", 0, repr(exc)))
                    continue
                if response.status_code == 503:
                    acknowledged.slowest_503 = max(acknowledged.slowest_503, time.monotonic() - started)
                if response.is_success and kind == 0:
                    acknowledged.interactions.add(str(n))
                    if len(acknowledged.interactions) >= 5:
                        acknowledged.some_written.set()
                elif response.is_success and kind == 2:
                    acknowledged.tags.add(str(n))
                # What a client can act on: the status, the problem's title and when to retry.
                summary = f"{response.headers.get('retry-after')} {response.text}"
                answers.append((f"{request.method} {request.url.path}", response.status_code, summary))

    await asyncio.gather(*(client_loop(kind % 4) for kind in range(8)))
    return answers


async def _load_through_outage(
    server: LiveServer, key: str, database: Any, acknowledged: Acknowledged
) -> list[tuple[str, int, str]]:
    stop = asyncio.Event()
    load = asyncio.get_running_loop().create_task(_load(server.base_url, key, stop, acknowledged))
    # Under load, until some writes were acknowledged (a fresh server on a busy machine takes a moment).
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(acknowledged.some_written.wait(), 15)
    await asyncio.to_thread(_pg_ctl, database, "-m", "fast", "stop")
    await asyncio.sleep(1.5)
    stop.set()
    return await load


def test_a_fast_shutdown_answers_503_and_the_server_recovers(
    own_database: Any, outage_server: tuple[LiveServer, str]
) -> None:
    server, key = outage_server
    acknowledged = Acknowledged()
    answers = asyncio.run(_load_through_outage(server, key, own_database, acknowledged))

    statuses = Counter(status for _, status, _ in answers)
    unexpected = [answer for answer in answers if not (200 <= answer[1] < 300 or answer[1] == 503)]
    assert unexpected == [], (statuses, unexpected[:5])
    assert statuses[503] > 0, statuses  # the outage was seen
    assert acknowledged.slowest_503 < 1.0, acknowledged.slowest_503  # no request hangs on the missing database
    for path, status, summary in answers:
        if status == 503:  # on the native API as a problem, on the Pact API in the Pact Broker's error shape
            assert summary.startswith("5 "), (path, summary)  # Retry-After: 5
            assert "The database is unavailable" in summary, (path, summary)

    headers = {"Authorization": f"Bearer {key}"}
    down = httpx.get(f"{server.base_url}/api/interactions", headers=headers, timeout=10)
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("application/problem+json")
    assert down.headers["retry-after"].isdigit()
    assert down.json()["type"].endswith("database-unavailable")

    own_database._server.ensure_postgres_running()
    deadline = time.monotonic() + 30
    while True:
        written = httpx.post(f"{server.base_url}/api/interactions", json=_interaction(10**6), headers=headers)
        if written.status_code == 201 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert written.status_code == 201, written.text
    assert httpx.get(f"{server.base_url}/api/interactions", headers=headers).status_code == 200
    assert httpx.get(f"{server.base_url}/pacticipants", headers=headers).status_code == 200

    # Every write the server acknowledged, before the outage or during it, is there afterwards.
    assert acknowledged.interactions, "no write was acknowledged before the outage"
    stored = asyncio.run(_stored_writes(own_database.url))
    assert acknowledged.interactions <= stored["interactions"], acknowledged.interactions - stored["interactions"]
    assert acknowledged.tags <= stored["tags"], acknowledged.tags - stored["tags"]


async def _stored_writes(url: str) -> dict[str, set[str]]:
    connection = await asyncpg.connect(url)
    try:
        interactions = await connection.fetch(
            "SELECT v.number FROM interaction i JOIN service_version v ON v.id = i.consumer_version"
        )
        tags = await connection.fetch(
            "SELECT v.number FROM tag t JOIN service_version v ON v.id = t.version WHERE t.name = 'dev'"
        )
    finally:
        await connection.close()
    return {"interactions": {r["number"] for r in interactions}, "tags": {r["number"] for r in tags}}
