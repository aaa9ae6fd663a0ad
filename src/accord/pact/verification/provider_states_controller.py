"""/pacts/provider/{provider}/provider-states: what `pact broker provider-states list` reads."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from accord.pact.links import Link, Links
from accord.pact.media import hal
from accord.pact.verification.schemas import ConsumerVersionSelector, PactsForVerificationQuery
from accord.pact.verification.selectors import resolve_selectors
from accord.verification.provider_states import ProviderState, ProviderStateService
from accord.verification.selection import VersionSelector


def _selectors(selector: ConsumerVersionSelector) -> list[VersionSelector]:
    """The native selectors of the one Pact selector a scope stands for."""
    return resolve_selectors(PactsForVerificationQuery(consumer_version_selectors=[selector]))


def _body(request: Request[Any, Any, Any], states: list[ProviderState]) -> dict[str, Any]:
    return {"providerStates": states, "_links": {"self": Link(href=Links(request).base + request.url.path)}}


class ProviderStateController(Controller):
    path = "/pacts/provider/{provider:str}/provider-states"
    tags = ["pact"]

    @get("/", operation_id="PactProviderStates", summary="From the latest pact of each consumer's main branch")
    async def main_branches(
        self,
        request: Request[Any, Any, Any],
        provider_state_service: NamedDependency[ProviderStateService],
        provider: FromPath[str],
    ) -> Response[Any]:
        return hal(
            _body(
                request,
                await provider_state_service.states(provider, _selectors(ConsumerVersionSelector(main_branch=True))),
            )
        )

    # A branch name may hold slashes ('feature/x'); the router decodes %2F before matching, so take the rest.
    @get("/branch/{branch:path}", operation_id="PactProviderStatesOfBranch", summary="From the consumers' branch")
    async def branch(
        self,
        request: Request[Any, Any, Any],
        provider_state_service: NamedDependency[ProviderStateService],
        provider: FromPath[str],
        branch: FromPath[str],
    ) -> Response[Any]:
        return hal(
            _body(
                request,
                await provider_state_service.states(
                    provider, _selectors(ConsumerVersionSelector(branch=branch.strip("/")))
                ),
            )
        )

    @get(
        "/environment/{environment:str}",
        operation_id="PactProviderStatesOfEnvironment",
        summary="From the consumer versions deployed or released to the environment",
    )
    async def environment(
        self,
        request: Request[Any, Any, Any],
        provider_state_service: NamedDependency[ProviderStateService],
        provider: FromPath[str],
        environment: FromPath[str],
    ) -> Response[Any]:
        return hal(
            _body(
                request,
                await provider_state_service.states(
                    provider, _selectors(ConsumerVersionSelector(deployed_or_released=True, environment=environment))
                ),
            )
        )
