"""Which database URL this process uses."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

# Used by piccolo_conf when nothing was configured, so that importing it never fails; any query then fails
# with a clear connection error instead. `accord` commands always export a real DATABASE_URL first.
# The role the migrations create for requests and workers (migration 2026-12-05T21:30).
APP_ROLE = "accord_app"
UNCONFIGURED_URL = "postgresql://unconfigured.invalid/accord"


def configured_database_url() -> str:
    return os.environ.get("DATABASE_URL") or UNCONFIGURED_URL


def application_database_url() -> str:
    """The URL requests and workers connect with: the application role's (ACCORD_APP_DATABASE_URL), which row
    security restricts; without one, DATABASE_URL's role (see `accord migrate`'s check of it)."""
    return os.environ.get("ACCORD_APP_DATABASE_URL") or configured_database_url()


def with_user(url: str, user: str) -> str:
    """`url` with its user replaced and no password (the embedded server trusts its socket)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{user}@{host}"))
