"""GET /api/events: Server-Sent Events from a live server, per tenant, resumable with Last-Event-ID."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, run_async
from tests.factories import make_tenant


class Stream:
    """Reads one SSE stream in a thread; `ready` once the server has fixed where the stream starts."""

    def __init__(self, base_url: str, headers: dict[str, str], params: dict[str, str] | None = None) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.ready = threading.Event()
        self.status = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(base_url, headers, params or {}), daemon=True)
        self._thread.start()
        assert self.ready.wait(10), "the stream did not start"

    def _read(self, base_url: str, headers: dict[str, str], params: dict[str, str]) -> None:
        try:
            self._read_until_closed(base_url, headers, params)
        except (httpx.HTTPError, OSError):
            pass  # the server went away (end of module) or the test is over: nothing left to read
        finally:
            self.ready.set()

    def _read_until_closed(self, base_url: str, headers: dict[str, str], params: dict[str, str]) -> None:
        timeout = httpx.Timeout(5, read=30)
        with httpx.stream("GET", base_url + "/api/events", headers=headers, params=params, timeout=timeout) as response:
            self.status = response.status_code
            self.ready.set()
            if response.status_code != 200:
                return
            event: dict[str, Any] = {}
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if not line:
                    if event.get("data"):  # comments come with an empty data line, which SSE never dispatches
                        self.events.put(event)
                    event = {}
                elif not line.startswith(":"):
                    field, _, value = line.partition(":")
                    event[field] = value.removeprefix(" ")

    def take(self, count: int, timeout: float = 15) -> list[dict[str, Any]]:
        return [self.events.get(timeout=timeout) for _ in range(count)]

    def close(self) -> None:
        self._stop.set()


@pytest.fixture
def tenants(live_server: LiveServer) -> tuple[Any, Any]:
    return run_async(make_tenant, "stream-a"), run_async(make_tenant, "stream-b")


def deploy(server: LiveServer, tenant: Any, version: str) -> None:
    body = {"service": "api", "version": version, "environment": "prod"}
    response = httpx.post(server.base_url + "/api/deployments", json=body, headers=tenant.headers(), timeout=10)
    assert response.status_code == 201, response.text


def test_a_stream_shows_its_tenants_events_only(live_server: LiveServer, tenants: tuple[Any, Any]) -> None:
    a, b = tenants
    stream_a = Stream(live_server.base_url, a.headers(a.read_key))
    stream_b = Stream(live_server.base_url, b.headers(b.read_key))
    try:
        deploy(live_server, a, "1")
        (event,) = stream_a.take(1)
        assert event.get("event") == "deployment_recorded", event
        data = json.loads(event["data"])
        assert data["name"] == "deployment_recorded"
        assert data["consumer"] == data["provider"] == "api"
        assert event["id"] == str(data["position"])
        deploy(live_server, b, "7")
        (other,) = stream_b.take(1)
        assert json.loads(other["data"])["subject"]["version"] != data["subject"]["version"]
        assert stream_a.events.empty()  # b's deployment never reached a
    finally:
        stream_a.close()
        stream_b.close()


def test_resuming_with_last_event_id(live_server: LiveServer, tenants: tuple[Any, Any]) -> None:
    a, _ = tenants
    for version in ("1", "2", "3"):
        deploy(live_server, a, version)
    replay = Stream(live_server.base_url, a.headers(a.read_key), {"since": "0"})
    first, second, third = replay.take(3)
    replay.close()
    resumed = Stream(live_server.base_url, {**a.headers(a.read_key), "Last-Event-ID": first["id"]})
    try:
        assert [e["id"] for e in resumed.take(2)] == [second["id"], third["id"]]
        deploy(live_server, a, "4")
        (fourth,) = resumed.take(1)
        assert int(fourth["id"]) > int(third["id"])
    finally:
        resumed.close()


def test_the_stream_needs_a_key_and_a_valid_last_event_id(live_server: LiveServer, tenants: tuple[Any, Any]) -> None:
    a, _ = tenants
    assert httpx.get(live_server.base_url + "/api/events", timeout=5).status_code == 401
    bad = httpx.get(
        live_server.base_url + "/api/events", headers={**a.headers(a.read_key), "Last-Event-ID": "x"}, timeout=5
    )
    assert bad.status_code == 422
