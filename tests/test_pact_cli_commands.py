"""The `pact broker` subcommands not driven elsewhere (the others are in test_pact_pacticipants, _environments,
_matrix, _publish and _webhooks), and the README's table of every subcommand kept in step with the binary."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.test_pact_matrix import Broker
from tests.test_pact_publish import contract, publication

PACT = str(Path(sys.executable).parent / "pact")
README = Path(__file__).parent.parent / "README.md"


def pact(server: Any, key: str, command: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PACT, "broker", *command.split(), "--broker-base-url", server.base_url, "--broker-token", key,
         "--retries", "0", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip


def readme_statuses() -> dict[str, str]:
    """`pact broker` subcommand -> status, from the README's table."""
    rows = re.findall(r"^\| `pact broker ([a-z-]+)` \| ([^|]+) \|", README.read_text(), flags=re.MULTILINE)
    return {command: status.strip() for command, status in rows}


def test_the_readme_lists_every_subcommand_of_the_installed_client() -> None:
    shown = subprocess.run([PACT, "broker", "--help"], capture_output=True, text=True, timeout=30, check=True)
    commands = set(re.findall(r"^  ([a-z][a-z-]+)  ", shown.stdout, flags=re.MULTILINE)) - {"help"}
    statuses = readme_statuses()
    assert commands == set(statuses), commands ^ set(statuses)
    assert {status.split()[0].rstrip(":") for status in statuses.values()} <= {"Supported", "Not", "Local"}


@pytest.fixture
def live_broker(live_server: Any, live_tenant: Any) -> Any:
    with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
        yield Broker(http, live_tenant.headers())


@pytest.mark.e2e
def test_delete_version_tag(live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
    key = live_tenant.write_key
    for tag in ("dev", "prod"):
        tagged = pact(
            live_server, key, "create-version-tag", "-a", "web", "-e", "1", "-t", tag, "--auto-create-version"
        )
        assert tagged.returncode == 0, tagged.stdout + tagged.stderr
    deleted = pact(live_server, key, "delete-version-tag", "--pacticipant", "web", "--version", "1", "--tag", "dev")
    assert deleted.returncode == 0, deleted.stdout + deleted.stderr
    assert "dev" in deleted.stdout
    version = live_broker.client.get("/api/services/web/versions/1", headers=live_broker.headers).json()
    assert version["tags"] == ["prod"]

    again = pact(live_server, key, "delete-version-tag", "--pacticipant", "web", "--version", "1", "--tag", "dev")
    # The client takes the broker's 404 as "already gone".
    assert again.returncode == 0
    assert "was not found (may have already been deleted)" in again.stdout
    read_only = pact(
        live_server, live_tenant.read_key, "delete-version-tag", "--pacticipant", "web", "--version", "1", "--tag",
        "prod",
    )  # fmt: skip
    assert read_only.returncode != 0


def test_generate_uuid_makes_a_fresh_uuid_each_time() -> None:
    made = [
        subprocess.run([PACT, "broker", "generate-uuid"], capture_output=True, text=True, timeout=30, check=True)
        for _ in range(2)
    ]
    first, second = (uuid.UUID(done.stdout.strip()) for done in made)
    assert first != second


@pytest.mark.e2e
def test_can_i_deploy_dry_run_says_no_but_exits_zero(live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
    live_broker.record("web", "1", "api")
    live_broker.deploy("api", "10")
    args = ("--pacticipant", "web", "--version", "1", "--to-environment", "production")
    refused = pact(live_server, live_tenant.read_key, "can-i-deploy", *args)
    assert refused.returncode != 0
    dry = pact(live_server, live_tenant.read_key, "can-i-deploy", *args, "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "dry run" in dry.stdout.lower()
    assert "Computer says no" in dry.stdout


@pytest.mark.e2e
def test_can_i_deploy_retries_while_the_verification_is_unknown(
    live_server: Any, live_tenant: Any, live_broker: Broker
) -> None:
    live_broker.record("web", "1", "api")
    live_broker.deploy("api", "10")
    args = ("--pacticipant", "web", "--version", "1", "--to-environment", "production")
    unknown = pact(live_server, live_tenant.read_key, "can-i-deploy", *args)
    assert unknown.returncode != 0
    assert "There is no verified pact" in unknown.stdout

    # The provider's build publishes its result while can-i-deploy is waiting (the matrix is polled each second).
    def verify_soon() -> None:
        time.sleep(1.5)
        with httpx.Client(base_url=live_server.base_url, timeout=30) as http:
            Broker(http, live_tenant.headers()).verify("api", "10", "web", "1")

    publisher = threading.Thread(target=verify_soon)
    publisher.start()
    try:
        waited = pact(
            live_server, live_tenant.read_key, "can-i-deploy", *args, "--retry-while-unknown", "20",
            "--retry-interval", "1",
        )  # fmt: skip
    finally:
        publisher.join()
    assert waited.returncode == 0, waited.stdout + waited.stderr
    assert "Computer says yes" in waited.stdout


def _publish(server: Any, tenant: Any, consumer: str, version: str, branch: str, states: list[Any]) -> None:
    document = {
        "consumer": {"name": consumer},
        "provider": {"name": "api"},
        "interactions": [
            {
                "description": f"request {index}",
                **({"providerStates": state} if isinstance(state, list) else {"providerState": state}),
                "request": {"method": "GET", "path": f"/{index}"},
                "response": {"status": 200},
            }
            for index, state in enumerate(states)
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }
    body = publication(contract(document, consumer=consumer), version=version, consumer=consumer, branch=branch)
    response = httpx.post(f"{server.base_url}/contracts/publish", json=body, headers=tenant.headers(), timeout=30)
    assert response.status_code == 200, response.text


@pytest.mark.e2e
def test_provider_states_list(live_server: Any, live_tenant: Any, live_broker: Broker) -> None:
    _publish(live_server, live_tenant, "web", "1", "main", ["user 1 exists", [{"name": "a cart", "params": {"id": 3}}]])
    _publish(live_server, live_tenant, "ios", "7", "main", ["user 1 exists"])
    _publish(live_server, live_tenant, "ios", "8", "feature/x", ["no users"])
    read = live_tenant.read_key

    listed = pact(live_server, read, "provider-states list", "--provider", "api", "--json")
    assert listed.returncode == 0, listed.stdout + listed.stderr
    assert json.loads(listed.stdout)["providerStates"] == [
        {"name": "a cart", "params": {"id": 3}, "consumers": ["web"]},
        {"name": "user 1 exists", "consumers": ["ios", "web"]},
    ]
    table = pact(live_server, read, "provider-states list", "--provider", "api")
    assert table.returncode == 0, table.stdout + table.stderr
    assert "user 1 exists" in table.stdout
    assert "ios, web" in table.stdout

    branch = pact(live_server, read, "provider-states list", "--provider", "api", "--branch", "feature/x", "--json")
    assert [s["name"] for s in json.loads(branch.stdout)["providerStates"]] == ["no users"]
    live_broker.environment("production")
    live_broker.deploy("web", "1")
    deployed = pact(live_server, read, "provider-states list", "--provider", "api", "--environment", "production",
                    "--json")  # fmt: skip
    assert [s["consumers"] for s in json.loads(deployed.stdout)["providerStates"]] == [["web"], ["web"]]
    unknown = pact(live_server, read, "provider-states list", "--provider", "nobody")
    assert unknown.returncode != 0
