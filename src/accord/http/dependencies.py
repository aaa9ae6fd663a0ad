"""Providers shared by every slice: who is asking, for which tenant."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import Provide

from accord.errors import Unauthenticated
from accord.tenancy.middleware import PRINCIPAL_STATE_KEY
from accord.tenancy.principal import Principal
from accord.tenant_ids import TenantId


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    # Set by the tenant middleware on every keyed route; a public route asking for it gets a 401.
    principal = request.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an API key: 'Authorization: Bearer <key>' (or Basic, key as password).")
    return principal


def provide_tenant_id(request: Request[Any, Any, Any]) -> TenantId:
    # From the request, not through `principal`: nearly every handler needs only the tenant, and each level of
    # dependencies costs Litestar a signature validation per request.
    return provide_principal(request).tenant_id


SHARED_DEPENDENCIES = {
    "principal": Provide(provide_principal, sync_to_thread=False),
    "tenant_id": Provide(provide_tenant_id, sync_to_thread=False),
}
