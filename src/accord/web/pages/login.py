"""Log in (one message for every wrong email or password), log out, switch tenant."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from accord.errors import NotFound, TooManyRequests
from accord.tenancy import session_store
from accord.tenancy.sessions import SESSION_LIFETIME, SessionService
from accord.web.cookies import cleared_session_cookie, session_cookie
from accord.web.home import HOME_PATH
from accord.web.session_middleware import web_session_of
from accord.web.viewer import VIEWER_STATE_KEY

WRONG_CREDENTIALS = "That email and password do not match an account. Check both and try again."
_Text = Annotated[str, msgspec.Meta(max_length=1024)]


class LoginForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: _Text
    email: _Text = ""
    password: _Text = ""
    next: _Text = ""


class TenantSwitchForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: _Text
    tenant: Annotated[str, msgspec.Meta(max_length=63)]


def safe_next(target: str | None) -> str:
    """Only a path on this site: `//evil.example` or `https://...` would make the login an open redirect."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\n" in target:
        return HOME_PATH
    return target


def _login_page(*, next_path: str, email: str = "", error: str | None = None, notice: str | None = None,
                status: int = 200, headers: dict[str, str] | None = None) -> Template:  # fmt: skip
    return Template(
        template_name="pages/login.html",
        context={"next": next_path, "email": email, "error": error, "notice": notice},
        status_code=status,
        headers=headers,
    )


def _secure(request: Request[Any, Any, Any]) -> bool:
    return bool(request.app.state.settings.secure_cookies)


class LoginController(Controller):
    path = "/"

    @get("/login", name="login")
    async def login_page(self, request: Request[Any, Any, Any], next: FromQuery[str | None] = None) -> Response[Any]:
        if request.scope["state"].get(VIEWER_STATE_KEY) is not None:
            return Redirect(safe_next(next), status_code=303)
        notice = None
        if web_session_of(request.scope) is not None:
            notice = "You are logged in but not a member of any tenant yet: ask an owner or admin for an invitation."
        return _login_page(next_path=safe_next(next), notice=notice)

    @post("/login", status_code=303)
    async def log_in(
        self,
        request: Request[Any, Any, Any],
        state: State,
        data: Annotated[LoginForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        throttle = state.login_throttle
        retry_after = throttle.retry_after(request.scope)
        if retry_after is not None:
            # Even a right password waits: the answer must not tell a guess apart while throttled.
            raise TooManyRequests(
                f"Too many failed logins from this address. Try again in {retry_after} seconds.",
                retry_after_seconds=retry_after,
            )
        session = await SessionService().log_in(data.email, data.password)
        if session is None:
            throttle.record_failure(request.scope)
            return _login_page(next_path=safe_next(data.next), email=data.email, error=WRONG_CREDENTIALS, status=401)
        old = web_session_of(request.scope)
        if old is not None:
            await SessionService().log_out(old.token)
        cookie = session_cookie(session.token, max_age=int(SESSION_LIFETIME.total_seconds()), secure=_secure(request))
        return Redirect(safe_next(data.next), status_code=303, cookies=[cookie])

    @post("/logout", status_code=303)
    async def log_out(self, request: Request[Any, Any, Any]) -> Response[Any]:
        session = web_session_of(request.scope)
        if session is not None:
            await SessionService().log_out(session.token)
        return Redirect("/login", status_code=303, cookies=[cleared_session_cookie(secure=_secure(request))])

    @post("/ui/tenant", status_code=303)
    async def switch_tenant(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[TenantSwitchForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        session = web_session_of(request.scope)
        if session is None or not await session_store.select_tenant(session.record.session_id, data.tenant):
            # Not a member (or no such tenant): the same answer as any other tenant's resource.
            raise NotFound(f"You are not a member of a tenant '{data.tenant}'.")
        return Redirect(HOME_PATH, status_code=303)
