"""Which database URL this process uses."""

from __future__ import annotations

import os

# Used by piccolo_conf when nothing was configured, so that importing it never fails; any query then fails
# with a clear connection error instead. `accord` commands always export a real DATABASE_URL first.
UNCONFIGURED_URL = "postgresql://unconfigured.invalid/accord"


def configured_database_url() -> str:
    return os.environ.get("DATABASE_URL") or UNCONFIGURED_URL
