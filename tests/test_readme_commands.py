"""Every command in README.md runs, as written, in a test: the shell blocks are read from the README and run
with bash (`set -euo pipefail`) against a real `accord serve`, the real `pact` binary and the test database.
Placeholders (`<key>`, `<key id>`, ...) get real values; `[--optional flags]` are run with the flags. A
command that cannot run here is listed below, with the reason. A new block that is neither run nor listed
fails `test_every_readme_block_is_run_or_listed`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from tests.test_pact_story import OrdersProvider, orders_provider

__all__ = ["orders_provider"]  # the fixture, imported for the Pact block

pytestmark = pytest.mark.e2e

README = REPO_ROOT / "README.md"
BIN = Path(sys.executable).parent
PACTS = Path(__file__).parent / "data" / "pacts"

# Blocks that cannot run in a test, by their first command.
SKIPPED_BLOCKS = {
    "make run": "runs the server until stopped; `accord serve` itself runs in every e2e test (live_server)",
    "export DATABASE_URL='postgresql://accord:secret@db.example.com:5432/accord?sslmode=require'": (
        "needs an external PostgreSQL server; the same `accord migrate` runs in the CLI block"
    ),
    "docker build -t accord .": "no Docker engine on the development or CI machines",
    'psql "$DATABASE_URL" -c "CREATE ROLE accord_web LOGIN PASSWORD \'secret\' IN ROLE accord_app"': (
        "needs an external PostgreSQL server; tests/test_row_security.py checks `accord migrate`'s warnings"
    ),
}
# Commands skipped inside blocks that run.
SKIPPED_COMMANDS = {
    "make test": "is the command that runs this test",
    "accord serve [--host H] [--port P] [--workers N]": "runs until stopped; live_server runs `accord serve --port`",
}
# The blocks that run, by their first command (each has its test below).
RUN_BLOCKS = {
    'curl -H "Authorization: Bearer <demo key>" http://127.0.0.1:8000/api/me',
    "export PACT_BROKER_BASE_URL=http://127.0.0.1:8000 PACT_BROKER_TOKEN=<key>",
    "accord serve [--host H] [--port P] [--workers N]",
    # The webhook block, its continuation lines joined as readme_blocks joins them.
    "pact broker create-webhook 'https://api.github.com/repos/acme/orders/dispatches' --provider orders    "
    "--request POST --header 'Authorization: Bearer ${GITHUB_TOKEN}' 'Content-Type: application/json'    "
    '--data \'{"event_type": "verify-pact", "client_payload": {"pact_url": "${pactbroker.pactUrl}", '
    '"provider_version": "${pactbroker.providerVersionNumber}"}}\'  '
    "--contract-requiring-verification-published --description 'verify orders'",
}

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"\s+#\s.*$")
_OPTIONAL = re.compile(r"\[(--[^\]]+)\]")
_PLACEHOLDER = re.compile(r"<[a-z][a-z ]*>|'\.\.\.'")


def readme_blocks() -> list[list[str]]:
    """The README's fenced blocks as lists of commands (continuation lines joined, comments dropped)."""
    blocks = []
    for language, body in _FENCE.findall(README.read_text()):
        assert language == "sh", f"a README block in {language or 'no language'}: mark commands as sh"
        joined = body.replace("\\\n", " ")
        blocks.append([_COMMENT.sub("", line).strip() for line in joined.splitlines() if line.strip()])
    return blocks


def block_starting_with(first: str) -> list[str]:
    (block,) = [block for block in readme_blocks() if block[0] == first]
    return block


def run_block(first: str, substitutions: dict[str, str], *, cwd: Path, env: dict[str, str]) -> str:
    """Run one README block as a bash script; returns its stdout. Fails on the first failing command."""
    commands = []
    for command in block_starting_with(first):
        if command in SKIPPED_COMMANDS:
            continue
        for placeholder, value in substitutions.items():
            command = command.replace(placeholder, value)
        command = _OPTIONAL.sub(r"\1", command)
        assert not _PLACEHOLDER.search(command), f"a placeholder without a value in the test: {command}"
        commands.append(command)
    script = "\n".join(["set -euo pipefail -x", *commands])
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", "PACT_DO_NOT_TRACK": "true", **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"README block failed:\n{result.stderr}\n{result.stdout}"
    return result.stdout


def test_every_readme_block_is_run_or_listed() -> None:
    firsts = [block[0] for block in readme_blocks()]
    commands = {command for block in readme_blocks() for command in block}

    assert sorted(firsts) == sorted(RUN_BLOCKS | SKIPPED_BLOCKS.keys())
    assert set(SKIPPED_COMMANDS) <= commands  # no stale entry for a command the README no longer has


def test_readme_curl_answers_with_the_tenant(live_server: Any, live_tenant: Any, tmp_path: Path) -> None:
    stdout = run_block(
        'curl -H "Authorization: Bearer <demo key>" http://127.0.0.1:8000/api/me',
        {"<demo key>": live_tenant.admin_key, "http://127.0.0.1:8000": live_server.base_url},
        cwd=tmp_path,
        env={},
    )

    assert json.loads(stdout)["tenant"]["slug"] == "live"


def test_readme_pact_workflow_ends_deployable(
    live_server: Any, live_tenant: Any, tmp_path: Path, orders_provider: OrdersProvider
) -> None:
    (tmp_path / "pacts").mkdir()
    shutil.copy(PACTS / "web-orders-v3.json", tmp_path / "pacts")

    stdout = run_block(
        "export PACT_BROKER_BASE_URL=http://127.0.0.1:8000 PACT_BROKER_TOKEN=<key>",
        {
            "http://127.0.0.1:8000": live_server.base_url,
            "<key>": live_tenant.write_key,
            "--port 9000": f"--port {orders_provider.port}",
        },
        cwd=tmp_path,
        env={"GIT_SHA": "3f2c1a9"},
    )

    assert "Computer says yes" in stdout


def test_readme_webhook_is_created(live_server: Any, live_tenant: Any, tmp_path: Path) -> None:
    import httpx

    headers = live_tenant.headers()
    httpx.post(f"{live_server.base_url}/api/services", json={"name": "orders"}, headers=headers).raise_for_status()
    (first,) = [block[0] for block in readme_blocks() if block[0].startswith("pact broker create-webhook")]
    run_block(
        first,
        {},
        cwd=tmp_path,
        env={"PACT_BROKER_BASE_URL": live_server.base_url, "PACT_BROKER_TOKEN": live_tenant.write_key},
    )

    (webhook,) = httpx.get(f"{live_server.base_url}/api/webhooks", headers=headers).json()
    assert webhook["provider"] == "orders"
    assert webhook["events"] == ["contract_requiring_verification_published"]
    assert webhook["request"]["body"]["client_payload"]["pact_url"] == "${pactbroker.pactUrl}"
    assert webhook["request"]["headers"]["Authorization"] == "[redacted]"


def test_readme_cli_commands_run(tmp_path: Path) -> None:
    stdout = run_block(
        "accord serve [--host H] [--port P] [--workers N]",
        {
            "<key id>": '"$(accord keys list --tenant acme | cut -f1 | head -n 1)"',
            "'...'": "'correct-horse-battery'",
            "<args>": "migrations check",
        },
        cwd=REPO_ROOT,  # `accord piccolo` finds piccolo_conf.py in the repository
        env={},
    )

    assert '"slug":"acme"' in stdout
