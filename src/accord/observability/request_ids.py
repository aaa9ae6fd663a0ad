"""The id of an HTTP request: the client's `X-Request-ID` when it is a sensible token, else a new one; kept in
scope state so that everything about one request (its audit entries, its log lines, the `X-Request-ID` of its
response) names the same id.

Here, below http and tenancy, because every middleware that names the request (the tenant, session and admin
ones, for the audit log and the log context) needs it, not only the response's header.
"""

from __future__ import annotations

import os
import re

from litestar.types import Scope

REQUEST_ID_STATE_KEY = "request_id"
# Ids travel into logs and the audit log: printable, no spaces, bounded.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:/@+=-]{1,200}")


def _offered(scope: Scope) -> str | None:
    # ASGI servers give header names lower-cased: a scan of the raw list, no Headers object per request.
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            return value.decode("latin-1")
    return None


def request_id_of(scope: Scope) -> str:
    state = scope.setdefault("state", {})
    known: str | None = state.get(REQUEST_ID_STATE_KEY)
    if known is None:
        offered = _offered(scope)
        # 128 random bits as 32 hex digits, like a uuid4's hex at a quarter of its cost (this runs per request).
        known = offered if offered is not None and _ACCEPTABLE.fullmatch(offered) else os.urandom(16).hex()
        state[REQUEST_ID_STATE_KEY] = known
    return known
