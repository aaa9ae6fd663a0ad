from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency

from accord.badge_tokens.schemas import BadgeTokenView
from accord.badge_tokens.service import BadgeTokenService
from accord.http.base_url import base_url
from accord.tenancy.principal import Scope


class BadgeTokenController(Controller):
    """The public badge token is managed with an admin key (or on the dashboard's keys page)."""

    path = "/api/badge-token"
    tags = ["tenancy"]
    opt = {"scope": Scope.admin}

    @get("/", operation_id="GetBadgeToken", summary="The token public badge URLs carry (made on first use)")
    async def show(
        self, request: Request[Any, Any, Any], badge_token_service: NamedDependency[BadgeTokenService]
    ) -> BadgeTokenView:
        return await badge_token_service.show(base_url(request))

    @post("/rotate", operation_id="RotateBadgeToken", summary="Replace the token; old badge URLs stop working")
    async def rotate(
        self, request: Request[Any, Any, Any], badge_token_service: NamedDependency[BadgeTokenService]
    ) -> BadgeTokenView:
        return await badge_token_service.rotate(base_url(request))
