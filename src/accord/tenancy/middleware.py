"""Resolves the tenant of every request (except public paths) from its API key, once, into scope state."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from accord.db.row_security import act_as, act_for
from accord.errors import RateLimited, TooManyRequests, Unauthenticated
from accord.observability.log_context import log_principal
from accord.observability.metrics import RATE_LIMITED
from accord.observability.request_ids import request_id_of
from accord.tenancy.auth_throttle import FailedAuthThrottle
from accord.tenancy.key_cache import KeyCache
from accord.tenancy.key_material import key_from_authorization
from accord.tenancy.key_rate_limit import KeyRateLimit
from accord.tenancy.scope_check import require_scope

PRINCIPAL_STATE_KEY = "principal"
PUBLIC_OPT_KEY = "public"
_OPENAPI_PATH = "/schema"


def is_public_route(scope: Scope) -> bool:
    """Routes marked `opt={"public": True}` (health, the admin mount) and the OpenAPI schema and its assets.

    Decided by the matched route handler, not the raw path, so mounted apps that rewrite the path are still
    recognised.
    """
    if scope["route_handler"].opt.get(PUBLIC_OPT_KEY):
        return True
    path: str = scope["path"]
    return path == _OPENAPI_PATH or path.startswith(_OPENAPI_PATH + "/")


def authorization_header(scope: Scope) -> str | None:
    # ASGI servers give header names lower-cased: a scan of the raw list, no Headers object per request.
    for name, value in scope["headers"]:
        if name == b"authorization":
            return value.decode("latin-1")
    return None


class TenantMiddleware:
    """Plain ASGI, built once per route by Litestar (`DefineMiddleware(TenantMiddleware, cache=..., throttle=...)`):
    the one check it skips for is_public_route is inline, not a generic bypass chain on every request.
    `rate_limit` is None when ACCORD_KEY_RATE_LIMIT is 0: then the check costs one comparison."""

    def __init__(
        self, app: ASGIApp, *, cache: KeyCache, throttle: FailedAuthThrottle, rate_limit: KeyRateLimit | None = None
    ) -> None:
        self.app = app
        self.cache = cache
        self.throttle = throttle
        self.rate_limit = rate_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if is_public_route(scope):
            await self.app(scope, receive, send)
            return
        retry_after = self.throttle.retry_after(scope)
        if retry_after is not None:
            raise TooManyRequests(
                "Too many failed authentication attempts from this address; retry later.",
                retry_after_seconds=retry_after,
            )
        secret = key_from_authorization(authorization_header(scope))
        if secret is None:
            raise Unauthenticated("Send an API key: 'Authorization: Bearer <key>' (or Basic, key as password).")
        try:
            principal = await self.cache.authenticate(secret)
        except Unauthenticated:
            self.throttle.record_failure(scope)
            raise
        scope.setdefault("state", {})[PRINCIPAL_STATE_KEY] = principal
        request_id = request_id_of(scope)
        key_id = str(principal.key_id)
        log_principal(request_id, principal.tenant_slug, key_id)
        if self.rate_limit is not None:
            wait = self.rate_limit.retry_after(principal.key_id)
            if wait is not None:
                RATE_LIMITED.inc()
                raise RateLimited(
                    f"This API key sent more than {self.rate_limit.per_second:g} requests per second; retry later.",
                    retry_after_seconds=wait,
                )
        require_scope(scope, principal)
        # Transactions then begin acting for the tenant already, and the audit log names the key and request.
        act_for(principal.tenant_id)
        act_as(f"key:{key_id}", request_id)
        await self.app(scope, receive, send)
