"""Who is looking at a page: the logged-in user, in the tenant they selected, with their role there.

The session middleware (web/session_middleware.py) resolves the cookie once per request into scope state;
the `viewer` dependency and the `requires_role` guards read it from there.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from accord.accounts.roles import Role
from accord.errors import PermissionDenied
from accord.tenant_ids import TenantId

__all__ = ["VIEWER_STATE_KEY", "LoginRequired", "Role", "Viewer", "provide_viewer", "requires_role", "viewer_of"]

VIEWER_STATE_KEY = "viewer"


class Viewer(msgspec.Struct, frozen=True, kw_only=True):
    user_id: UUID
    email: str
    display_name: str
    tenant_id: TenantId
    tenant_slug: str
    tenant_name: str
    role: Role
    memberships: tuple[tuple[str, str, Role], ...]  # (tenant_slug, tenant_name, role), by slug

    def can(self, role: Role) -> bool:
        return self.role.at_least(role)


class LoginRequired(Exception):
    """No live session (or no tenant for it): pages redirect to /login, htmx requests get 401."""


def viewer_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Viewer:
    viewer = connection.scope.get("state", {}).get(VIEWER_STATE_KEY)
    if not isinstance(viewer, Viewer):
        raise LoginRequired
    return viewer


def provide_viewer(request: ASGIConnection[Any, Any, Any, Any]) -> Viewer:
    return viewer_of(request)


def requires_role(role: Role) -> Guard:
    """A guard: the viewer must have at least `role` in the selected tenant, else the 403 page."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        if not viewer_of(connection).can(role):
            raise PermissionDenied(f"This page needs the {role.value} role in this tenant.")

    return guard
