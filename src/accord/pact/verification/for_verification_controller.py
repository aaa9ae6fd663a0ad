"""/pacts/provider/{provider}/for-verification: what `pact verifier --broker-url` and the Pact libraries ask
before verifying a provider."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK

from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.verification.resources import verifiable_pacts_body
from accord.pact.verification.schemas import PactsForVerificationQuery
from accord.pact.verification.selectors import pacts_for_verification
from accord.tenancy.principal import Scope
from accord.verification.selection import ContractSelection


class PactsForVerificationController(Controller):
    path = "/pacts/provider/{provider:str}/for-verification"
    tags = ["pact"]

    @get(
        "/",
        operation_id="PactsForVerificationIndex",
        summary="The default selection; verifiers fetch this first and POST their selectors to its self link",
    )
    async def defaults(
        self,
        request: Request[Any, Any, Any],
        contract_selection: NamedDependency[ContractSelection],
        provider: FromPath[str],
    ) -> Response[Any]:
        found = await pacts_for_verification(contract_selection, provider, PactsForVerificationQuery())
        return hal(verifiable_pacts_body(found, Links(request)))

    @post(
        "/",
        operation_id="PactsForVerification",
        status_code=HTTP_200_OK,
        summary="Pacts a provider build verifies, deduplicated by content, with pending and WIP status",
        # A query in a body: reading, so a read key suffices (as with the broker).
        opt={"scope": Scope.read},
    )
    async def select(
        self,
        request: Request[Any, Any, Any],
        contract_selection: NamedDependency[ContractSelection],
        provider: FromPath[str],
        data: JSONBody[PactsForVerificationQuery],
    ) -> Response[Any]:
        found = await pacts_for_verification(contract_selection, provider, data)
        return hal(verifiable_pacts_body(found, Links(request)))
