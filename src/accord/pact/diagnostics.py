"""/diagnostic/status/heartbeat: the broker's unauthenticated liveness check, which deploy scripts poll."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from accord.pact.links import Link, Links
from accord.pact.media import hal
from accord.tenancy.middleware import PUBLIC_OPT_KEY


class PactDiagnosticController(Controller):
    path = "/diagnostic/status"
    tags = ["pact"]
    opt = {PUBLIC_OPT_KEY: True}

    @get("/heartbeat", operation_id="PactHeartbeat", summary="The process is up (never touches the database)")
    async def heartbeat(self, request: Request[Any, Any, Any]) -> Response[Any]:
        self_link = Link(href=Links(request).url("diagnostic", "status", "heartbeat"))
        return hal({"ok": True, "_links": {"self": self_link}})
