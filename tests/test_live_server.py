"""The live-server fixture itself: real sockets, the same database as the other tests."""

from __future__ import annotations

from typing import Any

import httpx


def test_live_server_serves_the_tenant(live_server: Any, live_tenant: Any) -> None:
    response = httpx.get(f"{live_server.base_url}/api/me", headers=live_tenant.headers())
    assert response.status_code == 200
    assert response.json()["tenant"]["slug"] == "live"


def test_a_browser_gets_one_challenge_field_per_scheme(live_server: Any) -> None:
    """Chromium ignores a single WWW-Authenticate field listing Bearer and Basic, so it never offered its Basic
    login (issue 17); over a real socket each challenge is its own field. (At `/` a browser now gets the
    dashboard's login page instead; every keyed route still challenges.)"""
    response = httpx.get(f"{live_server.base_url}/pacticipants", headers={"Accept": "text/html"})
    assert response.status_code == 401
    assert response.headers.get_list("www-authenticate") == ['Bearer realm="accord"', 'Basic realm="accord"']
