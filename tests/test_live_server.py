"""The live-server fixture itself: real sockets, the same database as the other tests."""

from __future__ import annotations

from typing import Any

import httpx


def test_live_server_serves_the_tenant(live_server: Any, live_tenant: Any) -> None:
    response = httpx.get(f"{live_server.base_url}/api/me", headers=live_tenant.headers())
    assert response.status_code == 200
    assert response.json()["tenant"]["slug"] == "live"
