"""Every page of the dashboard, on one router: session auth, CSRF on every form, HTML error pages.

Page controllers live in accord/web/pages/<page>.py; add each to PAGE_CONTROLLERS.
"""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from accord.settings import Settings
from accord.tenancy.middleware import PUBLIC_OPT_KEY
from accord.web.csrf import csrf_protected
from accord.web.page_errors import PAGE_EXCEPTION_HANDLERS
from accord.web.pages.account import AccountController
from accord.web.pages.dashboard import DASHBOARD_PAGES
from accord.web.pages.invitations import InvitationController
from accord.web.pages.keys import KeysController
from accord.web.pages.login import LoginController
from accord.web.pages.members import MembersController
from accord.web.pages.not_found import UnknownPageController
from accord.web.session_middleware import SessionMiddleware
from accord.web.templating import STATIC
from accord.web.viewer import provide_viewer

PAGE_CONTROLLERS: list[ControllerRouterHandler] = [
    LoginController,
    AccountController,
    *DASHBOARD_PAGES,
    KeysController,
    MembersController,
    InvitationController,
    UnknownPageController,
]

# Pages take forms, not JSON (see http/content_types.py).
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded",)


def web_router(settings: Settings) -> Router:
    return Router(
        path="/",
        route_handlers=PAGE_CONTROLLERS,
        middleware=[SessionMiddleware(secure_cookies=settings.secure_cookies)],
        guards=[csrf_protected],
        dependencies={"viewer": Provide(provide_viewer, sync_to_thread=False)},
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        # "public" = outside API-key auth (like the admin mount): pages authenticate with the session instead,
        # and the session never authenticates the API.
        opt={PUBLIC_OPT_KEY: True, "accepts": FORM_MEDIA_TYPES},
        include_in_schema=False,
        response_headers={"Cache-Control": "no-store"},
    )


def static_router() -> Router:
    """/static/...: the CSS and the vendored htmx (no CDN, works offline)."""
    return create_static_files_router(
        path="/static", directories=[STATIC], opt={PUBLIC_OPT_KEY: True}, include_in_schema=False
    )
