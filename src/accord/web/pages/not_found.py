"""Any other /ui/... path: the HTML 404 page (with the layout) instead of the API's problem JSON. Real pages
are static routes, which Litestar matches before this path parameter."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Template

from accord.errors import NotFound


class UnknownPageController(Controller):
    path = "/ui"

    @get("/{rest:path}")
    async def unknown_page(self, rest: FromPath[str]) -> Template:
        raise NotFound("There is no such page. Check the address, or use the navigation above.")
