"""`accord users create` (password from stdin) and `accord users list`, as scripts use them."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any
from uuid import UUID

from accord.accounts.roles import Role
from tests.test_cli import ACCORD, accord
from tests.web.conftest import log_in


def accord_with_stdin(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACCORD, *args], input=stdin, capture_output=True, text=True, timeout=60, env=dict(os.environ), check=False
    )


def test_create_reads_the_password_from_stdin_and_the_user_can_log_in(client: Any) -> None:
    assert accord("tenants", "create", "--slug", "acme", "--name", "Acme Corp").returncode == 0

    created = accord_with_stdin(
        "a long enough password\n",
        "users",
        "create",
        "--tenant",
        "acme",
        "--email",
        "Ana@Example.com",
        "--role",
        "admin",
    )

    assert created.returncode == 0, created.stderr
    assert UUID(created.stdout.strip())
    assert "a long enough password" not in created.stdout + created.stderr
    assert "ana@example.com is now admin of tenant acme" in created.stderr
    response = log_in(client, "ana@example.com", "a long enough password")
    assert response.status_code == 303
    assert client.get("/ui/keys").status_code == 200  # an admin


def test_list_shows_members_and_an_existing_user_joins_another_tenant(client: Any) -> None:
    for slug in ("acme", "globex"):
        assert accord("tenants", "create", "--slug", slug, "--name", slug.title()).returncode == 0
    first = accord_with_stdin("password number one\n", "users", "create", "--tenant", "acme", "--email",
                              "bo@example.com", "--role", "owner", "--display-name", "Bo")  # fmt: skip
    second = accord_with_stdin(
        "", "users", "create", "--tenant", "globex", "--email", "bo@example.com", "--role", "viewer"
    )

    listed = accord("users", "list", "--tenant", "globex")
    as_json = json.loads(accord("users", "list", "--tenant", "acme", "--json").stdout)

    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == first.stdout.strip()
    assert "password unchanged" in second.stderr
    assert listed.stdout.split("\t")[1:3] == ["bo@example.com", Role.VIEWER.value]
    assert [(m["email"], m["role"], m["display_name"]) for m in as_json] == [("bo@example.com", "owner", "Bo")]


def test_bad_input_fails_with_a_sentence_and_a_usage_exit_code() -> None:
    assert accord("tenants", "create", "--slug", "acme", "--name", "Acme").returncode == 0

    short = accord_with_stdin(
        "short\n", "users", "create", "--tenant", "acme", "--email", "x@example.com", "--role", "member"
    )
    role = accord_with_stdin("long enough pass\n", "users", "create", "--tenant", "acme", "--email", "x@example.com",
                             "--role", "emperor")  # fmt: skip
    tenant = accord_with_stdin("long enough pass\n", "users", "create", "--tenant", "nope", "--email", "x@example.com",
                               "--role", "member")  # fmt: skip

    assert short.returncode == 2
    assert "needs 10 to 1024 characters" in short.stderr
    assert role.returncode == 2
    assert tenant.returncode == 1
    assert accord("users", "list", "--tenant", "acme").stdout == ""
