"""The principal of an authenticated request, for handlers and guards (the scope check itself runs in the
tenant middleware: accord.tenancy.scope_check)."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from accord.errors import Unauthenticated
from accord.tenancy.middleware import PRINCIPAL_STATE_KEY
from accord.tenancy.principal import Principal


def principal_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    principal = connection.scope.get("state", {}).get(PRINCIPAL_STATE_KEY)
    if not isinstance(principal, Principal):
        raise Unauthenticated("Send an API key: 'Authorization: Bearer <key>' (or Basic, key as password).")
    return principal
