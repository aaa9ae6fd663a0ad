"""The `accord` command as scripts use it: stdout carries only the value, exit codes mean something."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

ACCORD = str(Path(sys.executable).parent / "accord")


def accord(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACCORD, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_tenant_and_key_creation_print_only_the_value() -> None:
    created = accord("tenants", "create", "--slug", "acme", "--name", "Acme Corp")
    assert created.returncode == 0, created.stderr
    tenant_id = created.stdout.strip()
    assert UUID(tenant_id)
    assert "acme" in created.stderr

    key = accord("keys", "create", "--tenant", "acme", "--name", "ci", "--scopes", "read,write")
    assert key.returncode == 0, key.stderr
    secret = key.stdout.strip()
    assert secret.startswith("acc_")
    assert "\n" not in secret
    assert secret not in key.stderr

    listed = accord("keys", "list", "--tenant", "acme")
    assert listed.returncode == 0
    assert "ci" in listed.stdout
    assert secret not in listed.stdout

    tenants = accord("tenants", "list", "--json")
    assert '"slug":"acme"' in tenants.stdout


def test_keys_can_be_revoked_by_id() -> None:
    accord("tenants", "create", "--slug", "acme", "--name", "Acme")
    accord("keys", "create", "--tenant", "acme", "--name", "old")
    key_id = accord("keys", "list", "--tenant", "acme").stdout.split("\t")[0]

    revoked = accord("keys", "revoke", "--tenant", "acme", "--id", key_id)

    assert revoked.returncode == 0, revoked.stderr
    assert accord("keys", "list", "--tenant", "acme").stdout == ""
    assert "revoked" in accord("keys", "list", "--tenant", "acme", "--all").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("tenants", "create", "--slug", "Not A Slug", "--name", "x"), 2, "--slug takes 1 to 63 lowercase"),
        (("keys", "create", "--tenant", "nobody", "--name", "ci"), 1, "No tenant with slug 'nobody'"),
        (("keys", "revoke", "--tenant", "nobody", "--id", "not-a-uuid"), 2, "--id must be a key id"),
        (("tenants", "frobnicate"), 2, "No such command"),
    ],
)
def test_errors_are_one_line_with_reliable_exit_codes(args: Any, code: int, message: str) -> None:
    result = accord(*args)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_duplicate_tenant_exits_1() -> None:
    assert accord("tenants", "create", "--slug", "twice", "--name", "x").returncode == 0
    again = accord("tenants", "create", "--slug", "twice", "--name", "x")
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_bad_database_url_is_named() -> None:
    result = accord("migrate", env={"DATABASE_URL": "mysql://localhost/db"})
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == "accord: error: DATABASE_URL is not a PostgreSQL URL (expected postgresql://user:pass@host/db)"
    )


def test_unreachable_database_is_one_line() -> None:
    result = accord("tenants", "list", env={"DATABASE_URL": "postgresql://x@/x?host=/nonexistent-dir"})
    assert result.returncode == 1
    assert "cannot reach the database" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_is_idempotent_and_admin_user_creation_works() -> None:
    assert accord("migrate").returncode == 0
    user = accord(
        "admin", "create-user", "--username", "ops", "--email", "ops@example.com", "--password", "s3cret-pass"
    )
    assert user.returncode == 0, user.stderr
    assert user.stdout.strip().isdigit()
    again = accord(
        "admin", "create-user", "--username", "ops", "--email", "ops@example.com", "--password", "s3cret-pass"
    )
    assert again.returncode == 1
    assert "already exists" in again.stderr


def test_external_database_with_pending_migrations_is_refused(empty_database_url: str) -> None:
    result = accord("tenants", "list", env={"DATABASE_URL": empty_database_url})
    assert result.returncode == 1
    assert "run `accord migrate`" in result.stderr


def test_concurrent_migrations_both_succeed(empty_database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": empty_database_url}
    runs = [
        subprocess.Popen([ACCORD, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outcomes = [(process.wait(timeout=60), process.communicate()[1]) for process in runs]
    assert [code for code, _ in outcomes] == [0, 0], outcomes
    served = accord("tenants", "list", env={"DATABASE_URL": empty_database_url})
    assert served.returncode == 0, served.stderr


def test_serve_refuses_to_start_on_an_unmigrated_external_database(empty_database_url: str) -> None:
    result = accord("serve", "--port", "1", env={"DATABASE_URL": empty_database_url})
    assert result.returncode == 1
    assert "run `accord migrate` first" in result.stderr
    assert "Uvicorn running" not in result.stderr
