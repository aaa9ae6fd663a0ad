from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency

from accord.tenancy.principal import Principal
from accord.tenants.schemas import Me
from accord.tenants.service import describe_principal


class MeController(Controller):
    path = "/api/me"
    tags = ["tenancy"]

    @get("/", operation_id="GetMe", summary="The tenant and key this request authenticates as")
    async def get_me(self, principal: NamedDependency[Principal]) -> Me:
        return describe_principal(principal)
