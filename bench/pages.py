"""Server time of the dashboard pages on the large demo history (`python -m bench pages` runs this part alone).

A viewer of the large tenant logs in through the login form; each page is then fetched back to back and its
`Server-Timing: app;dur=` read: the time Accord spent rendering it, without the client or the network.
"""

from __future__ import annotations

import re
import secrets
import statistics
import subprocess
import sys
from typing import Any

import httpx

from bench.server import BenchServer

# A fresh password per run: the bench server is thrown away afterwards.
PASSWORD = secrets.token_urlsafe(16)
# A new viewer per run, so a kept history dir can be measured again.
EMAIL = f"viewer-{secrets.token_hex(4)}@bench.example"
# (figure name, path) on `accord demo --size large`: 100 consumers x 2 providers each, 3 environments.
PAGES = [
    ("overview", "/ui/integrations"),
    ("overview_failing", "/ui/integrations?failing=true"),
    ("service_provider", "/ui/services/provider-001"),
    ("service_consumer", "/ui/services/consumer-001"),
    ("environments", "/ui/environments"),
    ("network", "/ui/network"),
]
TARGET_P50_MS = 50
_MAKE_VIEWER = """
import asyncio, sys
from accord.accounts.membership_repository import MembershipRepository
from accord.accounts.roles import Role
from accord.accounts.schemas import UserCreate
from accord.accounts.service import AccountService, MemberService
from accord.tenants.service import TenantService

async def main(slug: str, email: str, password: str) -> None:
    tenant = await TenantService().resolve_slug(slug)
    user = await AccountService().create_user(UserCreate(email=email, display_name="Bench", password=password))
    await MemberService(MembershipRepository(tenant)).add(user, Role.VIEWER)

asyncio.run(main(*sys.argv[1:]))
"""
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_DURATION = re.compile(r"app;dur=([0-9.]+)")


def _make_viewer(server: BenchServer, slug: str) -> None:
    env = {**server.env, "DATABASE_URL": server.database_url}
    subprocess.run(
        [sys.executable, "-c", _MAKE_VIEWER, slug, EMAIL, PASSWORD], env=env, check=True, capture_output=True
    )


def _log_in(client: httpx.Client) -> None:
    token = _CSRF.search(client.get("/login").text)
    assert token, "no csrf_token on /login"
    response = client.post("/login", data={"csrf_token": token.group(1), "email": EMAIL, "password": PASSWORD})
    if response.status_code != 303:  # the login form redirects to the dashboard
        raise RuntimeError(f"log-in failed: {response.status_code} {response.text[:200]}")


def _server_ms(client: httpx.Client, path: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        response = client.get(path)
        response.raise_for_status()
        match = _DURATION.search(response.headers.get("server-timing", ""))
        assert match, f"{path} has no Server-Timing"
        times.append(float(match.group(1)))
    return times


def page_figures(server: BenchServer, slug: str, *, runs: int, requests: int = 30) -> dict[str, Any]:
    """Per page: p50 and p99 of server time over `requests` fetches, per run (after a warm-up)."""
    _make_viewer(server, slug)
    figures: dict[str, Any] = {}
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        _log_in(client)
        for name, path in PAGES:
            _server_ms(client, path, 5)  # warm-up: templates compiled, pool connections open, plans cached
            p50s, p99s = [], []
            for _ in range(runs):
                times = sorted(_server_ms(client, path, requests))
                p50s.append(statistics.median(times))
                p99s.append(times[min(len(times) - 1, round(0.99 * (len(times) - 1)))])
            figures[name] = {"path": path, "p50_ms": p50s, "p99_ms": p99s}
    return figures
