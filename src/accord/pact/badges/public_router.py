"""Public badges: `/badges/{badge token}/<any Pact badge path>` serves the same SVGs as the Pact badge routes,
with no key, for the tenant whose badge token it is. Only the badge handlers are mounted here, so the token
reads badges and nothing else; rotating it (keys page or `POST /api/badge-token/rotate`) revokes every URL."""

from __future__ import annotations

from litestar import Router
from litestar.di import Provide
from litestar.params import FromPath

from accord.badge_tokens.service import BADGE_PATH_PREFIX
from accord.contracts.following import ContractFollower
from accord.pact.badges.controller import PactBadgeController
from accord.tenancy.badge_token_store import tenant_of_badge_token
from accord.tenancy.middleware import PUBLIC_OPT_KEY
from accord.tenant_ids import TenantId


async def provide_badge_tenant(badge_token: FromPath[str]) -> TenantId:
    # A badge reads contracts like any keyed Pact read, so it sees every batch recorded before it.
    tenant_id = await tenant_of_badge_token(badge_token)
    await ContractFollower(tenant_id).settle()
    return tenant_id


def public_badge_router() -> Router:
    return Router(
        path=BADGE_PATH_PREFIX + "/{badge_token:str}",
        route_handlers=[PactBadgeController],
        dependencies={"tenant_id": Provide(provide_badge_tenant)},
        opt={PUBLIC_OPT_KEY: True},
        include_in_schema=False,
        tags=["badges"],
    )
