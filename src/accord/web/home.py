"""`GET /` for browsers: the dashboard (or the login page); Pact clients keep getting the HAL index.

A browser's Accept header names text/html before anything else; Pact clients ask for application/hal+json,
application/json or */*. Only a request that prefers HTML is redirected, before the key middleware (a
browser has no key), so the HAL index answers exactly as before for everyone else.
"""

from __future__ import annotations

from litestar.datastructures import Accept, Headers
from litestar.middleware import ASGIMiddleware
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


class BrowserHomeRedirect(ASGIMiddleware):
    @staticmethod
    def should_bypass_for_scope(scope: Scope) -> bool:
        # Decided by the matched handler, not the path: a mount (the admin at /admin) sees its own path as "/".
        return not scope["route_handler"].opt.get(BROWSER_HOME_OPT_KEY) or scope.get("method") not in ("GET", "HEAD")

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        headers = Headers.from_scope(scope)
        if not prefers_html(headers.get("accept")):
            await next_app(scope, receive, send)
            return
        logged_in = f"{SESSION_COOKIE}=" in (headers.get("cookie") or "")
        response = ASGIResponse(
            status_code=303,
            headers={"location": HOME_PATH if logged_in else "/login", "vary": "Accept, Cookie"},
            is_head_response=scope.get("method") == "HEAD",
        )
        await response(scope, receive, send)
