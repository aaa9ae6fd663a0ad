"""The logged-in user's own page: who they are and their tenants with the role in each."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from accord.web.viewer import Viewer


class AccountController(Controller):
    path = "/ui/account"

    @get("/")
    async def account(self, viewer: NamedDependency[Viewer]) -> Template:
        return Template(template_name="pages/account.html", context={})
