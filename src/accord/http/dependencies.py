"""Providers shared by every slice: who is asking, for which tenant."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import NamedDependency, Provide

from accord.tenancy.guards import principal_of
from accord.tenancy.ids import TenantId
from accord.tenancy.principal import Principal


def provide_principal(request: Request[Any, Any, Any]) -> Principal:
    return principal_of(request)


def provide_tenant_id(principal: NamedDependency[Principal]) -> TenantId:
    return principal.tenant_id


SHARED_DEPENDENCIES = {
    "principal": Provide(provide_principal, sync_to_thread=False),
    "tenant_id": Provide(provide_tenant_id, sync_to_thread=False),
}
