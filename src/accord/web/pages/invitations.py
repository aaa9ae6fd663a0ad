"""Accepting an invitation link: set a password (new account) or confirm yours (existing account), join the
tenant, and arrive logged in with it selected. The token travels in the query string, which the access log
redacts."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from accord.errors import InvalidInput
from accord.invitations.schemas import InvitationAccept
from accord.invitations.service import InvitationAcceptance
from accord.tenancy.sessions import SESSION_LIFETIME, SessionService
from accord.web.cookies import session_cookie
from accord.web.home import HOME_PATH
from accord.web.pages.members import ACCEPT_PATH
from accord.web.session_middleware import web_session_of

_Text = Annotated[str, msgspec.Meta(max_length=1024)]


class AcceptForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: _Text
    token: _Text
    password: _Text = ""
    display_name: _Text = ""


async def _accept_page(token: str, *, error: str | None = None, status: int = 200) -> Template:
    invitation, has_account = await InvitationAcceptance().preview(token)
    return Template(
        template_name="pages/invitation.html",
        context={"invitation": invitation, "has_account": has_account, "token": token, "error": error},
        status_code=status,
    )


class InvitationController(Controller):
    path = ACCEPT_PATH

    @get("/")
    async def show(self, token: FromQuery[str] = "") -> Template:
        return await _accept_page(token)

    @post("/", status_code=303)
    async def accept(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[AcceptForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        try:
            values = msgspec.convert(
                {"password": data.password, "display_name": data.display_name.strip() or None}, InvitationAccept
            )
        except msgspec.ValidationError:
            return await _accept_page(
                data.token, error="The password needs 10 or more characters; the name up to 200.", status=422
            )
        try:
            user_id, tenant_id = await InvitationAcceptance().accept(data.token, values)
        except InvalidInput as exc:  # wrong password, missing name; a used or unknown link is the error page
            return await _accept_page(data.token, error=exc.detail, status=exc.status_code)
        old = web_session_of(request.scope)
        if old is not None:
            await SessionService().log_out(old.token)
        session = await SessionService().start(user_id, tenant_id)
        cookie = session_cookie(
            session.token,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            secure=bool(request.app.state.settings.secure_cookies),
        )
        return Redirect(HOME_PATH, status_code=303, cookies=[cookie])
