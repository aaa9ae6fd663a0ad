"""Resolves a page request's session cookie, once, into scope state: the Viewer (user + selected tenant +
role) and the CSRF token its forms must carry. Runs on the page router only: sessions never authenticate
the API, which keeps its key middleware."""

from __future__ import annotations

import secrets
from typing import Any

import msgspec
from litestar.connection import ASGIConnection
from litestar.datastructures import MutableScopeHeaders
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from accord.db.row_security import act_as
from accord.observability.log_context import log_principal
from accord.observability.request_ids import request_id_of
from accord.tenancy.session_store import SessionRecord
from accord.tenancy.sessions import SessionService
from accord.web.cookies import ANONYMOUS_CSRF_COOKIE, SESSION_COOKIE, anonymous_csrf_cookie
from accord.web.viewer import VIEWER_STATE_KEY, Viewer

SESSION_STATE_KEY = "web_session"


class WebSession(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    record: SessionRecord


def viewer_from(record: SessionRecord) -> Viewer | None:
    if record.tenant_id is None or record.role is None:
        return None
    return Viewer(
        user_id=record.user_id,
        email=record.email,
        display_name=record.display_name,
        tenant_id=record.tenant_id,
        tenant_slug=record.tenant_slug or "",
        tenant_name=record.tenant_name or "",
        role=record.role,
        memberships=tuple((m.tenant_slug, m.tenant_name, m.role) for m in record.memberships),
    )


def web_session_of(scope: Scope) -> WebSession | None:
    session = scope.get("state", {}).get(SESSION_STATE_KEY)
    return session if isinstance(session, WebSession) else None


class SessionMiddleware(ASGIMiddleware):
    def __init__(self, *, secure_cookies: bool) -> None:
        self.secure_cookies = secure_cookies

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        cookies: dict[str, str] = ASGIConnection[Any, Any, Any, Any](scope).cookies
        state = scope.setdefault("state", {})
        token = cookies.get(SESSION_COOKIE)
        record = await SessionService().resolve(token) if token else None
        new_anonymous_token: str | None = None
        if token and record is not None:
            state[SESSION_STATE_KEY] = WebSession(token=token, record=record)
            act_as(f"user:{record.user_id}", request_id_of(scope))
            log_principal(request_id_of(scope), record.tenant_slug or "", "")
            viewer = viewer_from(record)
            if viewer is not None:
                state[VIEWER_STATE_KEY] = viewer
            csrf_token = record.csrf_token
        else:
            csrf_token = cookies.get(ANONYMOUS_CSRF_COOKIE) or ""
            if len(csrf_token) < 32:
                csrf_token = new_anonymous_token = secrets.token_urlsafe(32)
        ScopeState.from_scope(scope).csrf_token = csrf_token
        if new_anonymous_token is None:
            await next_app(scope, receive, send)
            return
        set_cookie = anonymous_csrf_cookie(new_anonymous_token, secure=self.secure_cookies).to_header(header="")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message).add("set-cookie", set_cookie.strip())
            await send(message)

        await next_app(scope, receive, send_with_cookie)
