"""Which database URL this process uses."""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit, urlunsplit

# Used by piccolo_conf when nothing was configured, so that importing it never fails; any query then fails
# with a clear connection error instead. `accord` commands always export a real DATABASE_URL first.
# The role the migrations create for requests and workers (migration 2026-12-05T21:30).
APP_ROLE = "accord_app"
UNCONFIGURED_URL = "postgresql://unconfigured.invalid/accord"


def configured_database_url() -> str:
    return os.environ.get("DATABASE_URL") or UNCONFIGURED_URL


def application_database_url() -> str:
    """The URL requests and workers connect with: DATABASE_URL's database as the application's login role
    (ACCORD_APP_DB_USER, ACCORD_APP_DB_PASSWORD), which row security restricts; without one, DATABASE_URL's
    own role (see `accord migrate`'s check of it). Only the role is configurable, so the application can
    never be pointed at another database than the one migrated."""
    url = configured_database_url()
    user = os.environ.get("ACCORD_APP_DB_USER")
    return with_user(url, user, os.environ.get("ACCORD_APP_DB_PASSWORD")) if user else url


def with_user(url: str, user: str, password: str | None = None) -> str:
    """`url` with its user and password replaced (no password: the embedded server trusts its socket)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    credentials = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
    return urlunsplit(parts._replace(netloc=f"{credentials}@{host}"))
