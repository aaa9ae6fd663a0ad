"""`GET /`: the index Pact clients start from."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from accord.pact.index.resources import index_resource
from accord.pact.links import Links
from accord.pact.media import hal


class PactIndexController(Controller):
    path = "/"
    tags = ["pact"]
    include_in_schema = True

    # A browser asking for HTML here is sent to the dashboard instead (accord/web/home.py reads this opt).
    @get(
        "/",
        operation_id="PactIndex",
        summary="HAL index: the relations Pact clients look up",
        opt={"browser_home": True},
    )
    async def index(self, request: Request[Any, Any, Any]) -> Response[Any]:
        return hal(index_resource(Links(request)))
