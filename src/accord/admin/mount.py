"""The admin site's mount at /admin, outside tenant auth, with `/admin` redirected to `/admin/`."""

from __future__ import annotations

from litestar import asgi
from litestar.enums import ScopeType
from litestar.handlers import ASGIRouteHandler
from litestar.response.base import ASGIResponse
from litestar.types import ASGIApp, Receive, Scope, Send

from accord.db.engine import operator_tools
from accord.db.row_security import act_as
from accord.http.security_headers import ISSUES_SECRET_OPT_KEY
from accord.observability.request_ids import request_id_of
from accord.tenancy.middleware import PUBLIC_OPT_KEY

ADMIN_PATH = "/admin"


def _asked_without_trailing_slash(scope: Scope) -> bool:
    # A mount sees `/admin` and `/admin/` both as "/", so look at the path the client sent. Some servers and
    # test clients put the query string in raw_path: compare the part before it.
    raw_path = scope.get("raw_path")
    return raw_path is not None and not raw_path.split(b"?", 1)[0].endswith(b"/")


async def _redirect_to_slash(scope: Scope, receive: Receive, send: Send) -> None:
    # The admin page loads its scripts by relative URL: under `/admin` they resolve to `/assets/...` (404, a
    # blank page). A relative Location keeps any proxy prefix; the query string goes along.
    query = scope.get("query_string", b"").decode("latin-1")
    location = "admin/" + (f"?{query}" if query else "")
    response = ASGIResponse(
        status_code=307,
        headers={"location": location},
        media_type="text/plain",
        is_head_response=scope.get("method") == "HEAD",
    )
    await response(scope, receive, send)


def mount_admin(admin_app: ASGIApp) -> ASGIRouteHandler:
    # The admin's form posts answer with the form's result: "Issue an API key" shows the new secret.
    opt = {PUBLIC_OPT_KEY: True, ISSUES_SECRET_OPT_KEY: "/api/forms/"}

    @asgi(ADMIN_PATH, is_mount=True, copy_scope=True, include_in_schema=False, opt=opt)
    async def admin(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and scope["path"] == "/" and _asked_without_trailing_slash(scope):
            await _redirect_to_slash(scope, receive, send)
            return
        # Cross-tenant by design: its queries run on the operators' pool, which row security does not restrict.
        operator_tools.set(True)
        act_as("admin", request_id_of(scope))
        await admin_app(scope, receive, send)

    return admin
