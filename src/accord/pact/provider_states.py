"""/pacts/provider/{provider}/provider-states: what `pact broker provider-states list` reads."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from accord.pact.links import Link, Links
from accord.pact.media import hal
from accord.pact.provider_state_service import ProviderState, ProviderStateService
from accord.tenancy.ids import TenantId


def provide_provider_state_service(tenant_id: NamedDependency[TenantId]) -> ProviderStateService:
    return ProviderStateService(tenant_id)


def _body(request: Request[Any, Any, Any], states: list[ProviderState]) -> dict[str, Any]:
    return {"providerStates": states, "_links": {"self": Link(href=Links(request).base + request.url.path)}}


class ProviderStateController(Controller):
    path = "/pacts/provider/{provider:str}/provider-states"
    tags = ["pact"]
    dependencies = {"states": Provide(provide_provider_state_service, sync_to_thread=False)}

    @get("/", operation_id="PactProviderStates", summary="From the latest pact of each consumer's main branch")
    async def main_branches(
        self, request: Request[Any, Any, Any], states: NamedDependency[ProviderStateService], provider: FromPath[str]
    ) -> Response[Any]:
        return hal(_body(request, await states.states(provider)))

    # A branch name may hold slashes ('feature/x'); the router decodes %2F before matching, so take the rest.
    @get("/branch/{branch:path}", operation_id="PactProviderStatesOfBranch", summary="From the consumers' branch")
    async def branch(
        self,
        request: Request[Any, Any, Any],
        states: NamedDependency[ProviderStateService],
        provider: FromPath[str],
        branch: FromPath[str],
    ) -> Response[Any]:
        return hal(_body(request, await states.states(provider, branch=branch.strip("/"))))

    @get(
        "/environment/{environment:str}",
        operation_id="PactProviderStatesOfEnvironment",
        summary="From the consumer versions deployed or released to the environment",
    )
    async def environment(
        self,
        request: Request[Any, Any, Any],
        states: NamedDependency[ProviderStateService],
        provider: FromPath[str],
        environment: FromPath[str],
    ) -> Response[Any]:
        return hal(_body(request, await states.states(provider, environment=environment)))
