"""All Pact-compatible resources, under the broker's root, with Pact-shaped errors."""

from __future__ import annotations

from litestar import Router

from accord.pact.errors import PACT_EXCEPTION_HANDLERS
from accord.pact.index_controller import PactIndexController


def pact_router() -> Router:
    return Router(
        path="/",
        route_handlers=[PactIndexController],
        exception_handlers=PACT_EXCEPTION_HANDLERS,
        tags=["pact"],
    )
