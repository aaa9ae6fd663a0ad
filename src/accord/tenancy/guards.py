"""Scope checks: every authenticated route needs read for safe methods and write otherwise, unless it asks
for more with `opt={"scope": Scope.admin}`."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from accord.errors import PermissionDenied, Unauthenticated
from accord.tenancy.middleware import PRINCIPAL_STATE_KEY, is_public_route
from accord.tenancy.principal import Principal, Scope

# enforce_scope is async although it never awaits: Litestar runs a plain function guard in a worker thread.
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an API key: 'Authorization: Bearer <key>' (or Basic, key as password).")
    return principal


async def enforce_scope(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    if is_public_route(connection.scope):
        return
    required = handler.opt.get("scope")
    if required is None:
        required = Scope.read if connection.scope.get("method", "GET") in _SAFE_METHODS else Scope.write
    principal = principal_of(connection)
    if not principal.allows(Scope(required)):
        raise PermissionDenied(f"This API key lacks the '{Scope(required).value}' scope.")
