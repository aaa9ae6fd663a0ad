"""Racing create-or-get requests: the one caller whose insert made the row answers 201 Created, every other
200, and one row is stored. Real concurrent requests against a served Accord."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer

RACERS = 10


async def _race(server: LiveServer, key: str, method: str, path: str, body: Any = None) -> Counter[int]:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as client:
        requests = [client.request(method, path, json=body) for _ in range(RACERS)]
        responses = await asyncio.gather(*requests)
    for response in responses:
        assert response.status_code in (200, 201), response.text
    return Counter(response.status_code for response in responses)


def race(server: LiveServer, tenant: Any, method: str, path: str, body: Any = None) -> Counter[int]:
    return asyncio.run(_race(server, tenant.admin_key, method, path, body))


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/pacticipants/web/versions/1/tags/prod", None),
        ("PUT", "/pacticipants/web/branches/main/versions/1", None),
        ("PUT", "/pacticipants/web/versions/1", {}),
        ("PATCH", "/pacticipants/web/versions/1", {}),
        ("PATCH", "/pacticipants/web", {"displayName": "Web"}),
        ("POST", "/api/services/web/versions", {"number": "1"}),
    ],
)
def test_only_the_creator_is_answered_201(
    live_server: LiveServer, live_tenant: Any, method: str, path: str, body: Any
) -> None:
    if path.startswith("/api/"):  # the native API creates versions of known services only
        created = httpx.post(
            f"{live_server.base_url}/api/services", json={"name": "web"}, headers=live_tenant.headers()
        )
        assert created.status_code == 201, created.text
    assert race(live_server, live_tenant, method, path, body) == Counter({201: 1, 200: RACERS - 1})
    # And again, now that it exists: nobody created it.
    assert race(live_server, live_tenant, method, path, body) == Counter({200: RACERS})


def test_racing_tag_puts_store_one_tag(live_server: LiveServer, live_tenant: Any) -> None:
    race(live_server, live_tenant, "PUT", "/pacticipants/web/versions/1/tags/prod")
    tags = httpx.get(f"{live_server.base_url}/api/services/web/versions/1", headers=live_tenant.headers()).json()[
        "tags"
    ]
    assert tags == ["prod"]
