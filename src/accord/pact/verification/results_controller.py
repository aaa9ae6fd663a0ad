"""Verification results of pact versions: what verifiers POST to pb:publish-verification-results, and reading
them back (by id, or the latest)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from accord.contracts.service import ContractService
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.verification.result_resources import verification_body
from accord.pact.verification.results import publish_result, result_of
from accord.pact.verification.schemas import VerificationResultPublish
from accord.verification.service import VerificationService

_PACT_VERSION = "/pacts/provider/{provider:str}/consumer/{consumer:str}/pact-version/{sha:str}"


class PactVerificationResultController(Controller):
    path = _PACT_VERSION
    tags = ["pact"]

    @post(
        ["/verification-results", "/metadata/{metadata:str}/verification-results"],
        status_code=HTTP_201_CREATED,
        summary="Record a provider version's verdict on this pact version (auto-creates the provider version)",
    )
    async def publish(
        self,
        request: Request[Any, Any, Any],
        contract_service: NamedDependency[ContractService],
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        consumer: FromPath[str],
        sha: FromPath[str],
        data: JSONBody[VerificationResultPublish],
        metadata: FromPath[str | None] = None,
    ) -> Response[Any]:
        result = await publish_result(
            contract_service, verification_service, provider=provider, consumer=consumer, sha=sha, data=data
        )
        body = verification_body(result, Links(request))
        return hal(body, HTTP_201_CREATED, headers={"Location": body["_links"]["self"].href})

    @get(
        "/verification-results/{result:str}",
        operation_id="PactVerificationResult",
        summary="A verification result of this pact version by id, or 'latest'",
    )
    async def get_result(
        self,
        request: Request[Any, Any, Any],
        contract_service: NamedDependency[ContractService],
        verification_service: NamedDependency[VerificationService],
        provider: FromPath[str],
        consumer: FromPath[str],
        sha: FromPath[str],
        result: FromPath[str],
    ) -> Response[Any]:
        found = await result_of(
            contract_service, verification_service, provider=provider, consumer=consumer, sha=sha, result_id=result
        )
        return hal(verification_body(found, Links(request)))
