"""The framework's floor: a bare Litestar handler returning a constant, served exactly like Accord."""

from __future__ import annotations

from litestar import Litestar, get


@get("/constant", sync_to_thread=False)
def constant() -> dict[str, str]:
    return {"status": "ok"}


def create_bare_app() -> Litestar:
    return Litestar(route_handlers=[constant])
