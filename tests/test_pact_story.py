"""The whole Pact workflow with the real `pact` binary against a running Accord, as CI pipelines drive it:
consumers publish (v3 and v4 pacts, branch and tags), deploy pipelines record environments, deployments and
releases, can-i-deploy says no until the provider's `pact verifier` run publishes results, then yes; and a
second tenant's token sees none of it. The pact files are the tests' own data, in tests/data/pacts/."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import make_tenant

pytestmark = pytest.mark.e2e

PACT = str(Path(sys.executable).parent / "pact")
PACTS = Path(__file__).parent / "data" / "pacts"

# What the orders provider really answers.
ORDERS = {
    "GET /orders/42": {"id": 42, "status": "open", "total": 12.5},
    "GET /orders": [{"id": 42, "status": "open"}],
}


class OrdersProvider:
    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = ORDERS.get(f"GET {self.path.split('?')[0]}")
                payload = json.dumps(body if body is not None else {"error": "not found"}).encode()
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_POST(self) -> None:  # provider state set-up calls
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]


@pytest.fixture
def orders_provider() -> Iterator[OrdersProvider]:
    provider = OrdersProvider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def pact(live_server: Any, key: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PACT_DO_NOT_TRACK": "true"}
    command = [PACT, "broker", *args, "--broker-base-url", live_server.base_url, "--broker-token", key]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, env=env)


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_pact_workflow_end_to_end(
    live_server: Any, live_tenant: Any, orders_provider: OrdersProvider, tmp_path: Path
) -> None:
    key = live_tenant.admin_key
    web_dir, mobile_dir = tmp_path / "web", tmp_path / "mobile"
    web_dir.mkdir()
    mobile_dir.mkdir()
    shutil.copy(PACTS / "web-orders-v3.json", web_dir)
    shutil.copy(PACTS / "mobile-orders-v4.json", mobile_dir)

    # Consumers publish from their CI: branch and tags.
    ok(pact(live_server, key, "publish", str(web_dir), "--consumer-app-version", "w1", "--branch", "main",
            "--tag", "rc"))  # fmt: skip
    ok(pact(live_server, key, "publish", str(mobile_dir), "--consumer-app-version", "m1", "--branch", "main"))
    described = ok(pact(live_server, key, "describe-version", "--pacticipant", "web", "--output", "json"))
    assert json.loads(described)["number"] == "w1"

    # Deploy pipelines: the environment, then what runs where.
    ok(pact(live_server, key, "create-environment", "--name", "production", "--production"))
    ok(pact(live_server, key, "record-deployment", "--pacticipant", "web", "--version", "w1",
            "--environment", "production"))  # fmt: skip
    ok(pact(live_server, key, "record-release", "--pacticipant", "mobile", "--version", "m1",
            "--environment", "production"))  # fmt: skip

    # The provider can't go out yet: nothing is verified.
    can_i_deploy = ["can-i-deploy", "--pacticipant", "orders", "--version", "o1", "--to-environment", "production"]
    ok(pact(live_server, key, "create-or-update-version", "--pacticipant", "orders", "--version", "o1"))
    refused = pact(live_server, key, *can_i_deploy)
    assert refused.returncode != 0, refused.stdout
    # Neither can the web consumer: orders isn't deployed anywhere.
    web_first = pact(live_server, key, "can-i-deploy", "--pacticipant", "web", "--version", "w1",
                     "--to-environment", "production")  # fmt: skip
    assert web_first.returncode != 0

    # The provider's CI verifies the main-branch pacts and publishes the results.
    verified = subprocess.run(
        [PACT, "verifier", "-b", live_server.base_url, "-t", key, "-n", "orders", "--publish",
         "--provider-version", "o1", "--provider-branch", "main",
         "--consumer-version-selectors", '{"mainBranch": true}', "--enable-pending",
         "--hostname", "127.0.0.1", "--port", str(orders_provider.port), "--no-colour"],
        capture_output=True, text=True, timeout=90, check=False, env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr

    ok(pact(live_server, key, *can_i_deploy))
    ok(pact(live_server, key, "record-deployment", "--pacticipant", "orders", "--version", "o1",
            "--environment", "production"))  # fmt: skip
    ok(pact(live_server, key, "can-i-deploy", "--pacticipant", "web", "--version", "w1",
            "--to-environment", "production"))  # fmt: skip

    # The same data through the native API: the pact is the consumer version's contract.
    headers = live_tenant.headers()
    contract = httpx.get(f"{live_server.base_url}/api/contracts/web/w1/orders", headers=headers)
    assert contract.status_code == 200
    native = httpx.get(
        f"{live_server.base_url}/api/can-i-deploy",
        params={"service": "orders", "version": "o1", "environment": "production"},
        headers=headers,
    ).json()
    assert native["deployable"] is True
    assert {row["consumer"] for row in native["rows"]} == {"web", "mobile"}

    ok(pact(live_server, key, "record-undeployment", "--pacticipant", "web", "--environment", "production"))
    deployed = httpx.get(f"{live_server.base_url}/api/environments/production/deployed", headers=headers).json()
    assert [item["service"] for item in deployed["items"]] == ["orders"]

    # A second tenant's token sees none of it.
    other = asyncio.run(make_tenant("live-other")).admin_key
    assert pact(live_server, other, "describe-version", "--pacticipant", "web").returncode != 0
    listed = ok(pact(live_server, other, "list-pacticipants", "--output", "json"))
    assert "web" not in listed
    assert pact(live_server, other, *can_i_deploy).returncode != 0
    nothing = subprocess.run(
        [PACT, "verifier", "-b", live_server.base_url, "-t", other, "-n", "orders",
         "--hostname", "127.0.0.1", "--port", str(orders_provider.port), "--no-colour"],
        capture_output=True, text=True, timeout=90, check=False, env={**os.environ, "PACT_DO_NOT_TRACK": "true"},
    )  # fmt: skip
    assert "No pacts found" in nothing.stdout + nothing.stderr or nothing.returncode != 0
