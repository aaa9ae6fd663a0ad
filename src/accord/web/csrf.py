"""CSRF protection for every form: an unsafe request must carry the session's token (or, before login, the
value of the double-submit cookie) in the `csrf_token` field or the `X-CSRF-Token` header (htmx)."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.utils.empty import value_or_default
from litestar.utils.scope.state import ScopeState

from accord.errors import PermissionDenied

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def csrf_protected(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    if connection.scope.get("method", "GET") in _SAFE_METHODS:
        return
    expected: str = value_or_default(ScopeState.from_scope(connection.scope).csrf_token, "")
    presented = connection.headers.get(CSRF_HEADER)
    if presented is None:
        # The form is cached in scope state, so the handler's `data` reads it again without the body.
        form = await Request[Any, Any, Any](connection.scope, connection.receive).form()
        value = form.get(CSRF_FIELD)
        presented = value if isinstance(value, str) else None
    if not expected or not presented or not hmac.compare_digest(expected.encode(), presented.encode()):
        raise PermissionDenied(
            "This form has expired or did not come from this site. Go back, reload the page and try again."
        )
