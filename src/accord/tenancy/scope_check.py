"""Scope checks: every authenticated route needs read for safe methods and write otherwise, unless it asks
for more with `opt={"scope": Scope.admin}`."""

from __future__ import annotations

from litestar.types import Scope as ASGIScope

from accord.errors import PermissionDenied
from accord.tenancy.principal import Principal, Scope

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def require_scope(scope: ASGIScope, principal: Principal) -> None:
    """Refuse a key that lacks the route's scope. Called by the tenant middleware right after it resolved the
    key: as a Litestar guard it cost a copy of the route handler per request (a tenth of `/health`'s CPU)."""
    required = scope["route_handler"].opt.get("scope")
    if required is None:
        required = Scope.read if scope.get("method", "GET") in _SAFE_METHODS else Scope.write
    if not principal.allows(Scope(required)):
        raise PermissionDenied(f"This API key lacks the '{Scope(required).value}' scope.")
