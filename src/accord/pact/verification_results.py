"""Verification results of pact versions: what verifiers POST to pb:publish-verification-results, and reading
them back (by id, or the latest)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pact_schemas import VerificationResultPublish
from accord.pact.verification_publishing import PactVerificationPublisher
from accord.pact.verification_resources import verification_body
from accord.tenancy.ids import TenantId

_PACT_VERSION = "/pacts/provider/{provider:str}/consumer/{consumer:str}/pact-version/{sha:str}"


def provide_verification_publisher(tenant_id: NamedDependency[TenantId]) -> PactVerificationPublisher:
    return PactVerificationPublisher(tenant_id)


class PactVerificationResultController(Controller):
    path = _PACT_VERSION
    tags = ["pact"]
    dependencies = {"publisher": Provide(provide_verification_publisher, sync_to_thread=False)}

    @post(
        ["/verification-results", "/metadata/{metadata:str}/verification-results"],
        status_code=HTTP_201_CREATED,
        summary="Record a provider version's verdict on this pact version (auto-creates the provider version)",
    )
    async def publish(
        self,
        request: Request[Any, Any, Any],
        publisher: NamedDependency[PactVerificationPublisher],
        provider: FromPath[str],
        consumer: FromPath[str],
        sha: FromPath[str],
        data: JSONBody[VerificationResultPublish],
        metadata: FromPath[str | None] = None,
    ) -> Response[Any]:
        result = await publisher.publish(provider=provider, consumer=consumer, sha=sha, data=data)
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
        publisher: NamedDependency[PactVerificationPublisher],
        provider: FromPath[str],
        consumer: FromPath[str],
        sha: FromPath[str],
        result: FromPath[str],
    ) -> Response[Any]:
        found = await publisher.get(provider=provider, consumer=consumer, sha=sha, result_id=result)
        return hal(verification_body(found, Links(request)))
