"""The guard of routes that read contracts: they see the contract of every batch recorded before them."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from accord.contracts.following import ContractFollower
from accord.tenancy.middleware import PRINCIPAL_STATE_KEY, is_public_route
from accord.tenancy.principal import Principal

# Route opt of handlers whose service settles in its own first statement (MatrixQueryService.answer): the guard
# would only repeat that round trip.
SETTLES_ITSELF_OPT_KEY = "settles_itself"


async def settle_pending_contracts(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Derive the tenant's pending contracts before the handler reads them (one statement when none is
    pending). Runs after the tenant middleware's scope check, so a refused request derives nothing."""
    if is_public_route(connection.scope) or connection.scope["route_handler"].opt.get(SETTLES_ITSELF_OPT_KEY):
        return
    principal = connection.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
    if isinstance(principal, Principal):
        await ContractFollower(principal.tenant_id).settle()
