"""`GET /` for browsers: the dashboard (or the login page); Pact clients keep getting the HAL index.

A browser's Accept header names text/html before anything else; Pact clients ask for application/hal+json,
application/json or */*. Only a request that prefers HTML is redirected, before the key middleware (a
browser has no key), so the HAL index answers exactly as before for everyone else.
"""

from __future__ import annotations

from litestar.datastructures import Accept, Headers
from litestar.enums import ScopeType
from litestar.response.base import ASGIResponse
from litestar.types import ASGIApp, Receive, Scope, Send

from accord.web.cookies import SESSION_COOKIE

HOME_PATH = "/ui/integrations"
# The opt key of the one handler whose browsers are sent to the dashboard: the Pact index at `/`.
BROWSER_HOME_OPT_KEY = "browser_home"
_OFFERED = ["application/hal+json", "application/json", "text/html"]


def prefers_html(accept: str | None) -> bool:
    if not accept:
        return False
    return Accept(accept).best_match(_OFFERED) == "text/html"


class BrowserHomeRedirect:
    """Plain ASGI: every other route passes through after one dictionary lookup."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Decided by the matched handler, not the path: a mount (the admin at /admin) sees its own path as "/".
        if (
            scope["type"] != ScopeType.HTTP
            or not scope["route_handler"].opt.get(BROWSER_HOME_OPT_KEY)
            or scope.get("method") not in ("GET", "HEAD")
        ):
            await self.app(scope, receive, send)
            return
        headers = Headers.from_scope(scope)
        if not prefers_html(headers.get("accept")):
            await self.app(scope, receive, send)
            return
        logged_in = f"{SESSION_COOKIE}=" in (headers.get("cookie") or "")
        response = ASGIResponse(
            status_code=303,
            headers={"location": HOME_PATH if logged_in else "/login", "vary": "Accept, Cookie"},
            is_head_response=scope.get("method") == "HEAD",
        )
        await response(scope, receive, send)
