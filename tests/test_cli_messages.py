"""What a person reads at an 80-column terminal: `--help` lists every command in full (nothing cut off with
"..."), and a refused value gets a sentence saying what is allowed, never a regular expression or a pattern."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from accord.cli.main import cli

ACCORD = str(Path(sys.executable).parent / "accord")


def _every_command(group: click.Group, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield path
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _every_command(command, (*path, name))
        else:
            yield (*path, name)


def _help_at_80_columns(path: tuple[str, ...]) -> str:
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    result = subprocess.run(
        ["script", "-qec", " ".join([ACCORD, *path, "--help"]), "/dev/null"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**env, "TERM": "xterm"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("path", list(_every_command(cli)), ids=lambda path: " ".join(path) or "accord")
def test_help_fits_80_columns_without_cutting_anything_off(path: tuple[str, ...]) -> None:
    # `script` gives the command a real terminal; its default size is 80 columns, as a new user's.
    text = _help_at_80_columns(path)

    usage, _, rest = text.partition("\n")
    assert usage.startswith("Usage: accord")
    assert "..." not in rest
    assert max(len(line.rstrip("\r")) for line in text.splitlines()) <= 80


def accord(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ACCORD, *args], capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (
            ("tenants", "create", "--slug", "Bad Slug!", "--name", "x"),
            "--slug takes 1 to 63 lowercase letters (a-z), digits and hyphens, starting and ending with a letter "
            "or digit, e.g. acme or team-42.",
        ),
        (("tenants", "create", "--slug", "a" * 64, "--name", "x"), "--slug takes 1 to 63 lowercase letters"),
        (("tenants", "create", "--slug", "acme", "--name", ""), "--name takes 1 to 200 characters."),
        (
            ("keys", "create", "--tenant", "acme", "--name", "ci", "--scopes", "read,root"),
            "--scopes takes one to three of read, write and admin, separated by commas, e.g. read,write.",
        ),
        (("keys", "create", "--tenant", "acme", "--name", "ci", "--scopes", ","), "--scopes takes one to three"),
        (
            ("keys", "create", "--tenant", "acme", "--name", " ci"),
            "--name takes 1 to 100 characters, not starting or ending with a space.",
        ),
        (
            ("keys", "create", "--tenant", "acme", "--name", "ci", "--expires-at", "2027-13-01"),
            "'2027-13-01' is not a date (YYYY-MM-DD, e.g. 2027-01-31) or a UTC date and time",
        ),
        (
            ("keys", "create", "--tenant", "acme", "--name", "ci", "--expires-at", "2027-01-01T10:00:00+02:00"),
            "has a time zone other than UTC",
        ),
        (("serve", "--workers", "0"), "takes a whole number of 1 or more, not 0."),
    ],
)
def test_a_refused_value_gets_a_sentence_saying_what_is_allowed(args: tuple[str, ...], sentence: str) -> None:
    result = accord(*args)

    assert result.returncode == 2
    assert sentence in " ".join(result.stderr.split())
    for machine_talk in ("regex", "^[", "%Y", "$.", "x>=", "Expected `"):
        assert machine_talk not in result.stderr


def test_a_key_can_expire_on_a_date() -> None:
    assert accord("tenants", "create", "--slug", "acme", "--name", "Acme").returncode == 0

    created = accord("keys", "create", "--tenant", "acme", "--name", "ci", "--expires-at", "2099-01-31")

    assert created.returncode == 0, created.stderr
    assert "active" in accord("keys", "list", "--tenant", "acme").stdout
