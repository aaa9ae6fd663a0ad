"""One pact: by consumer version (GET, PUT to publish, PATCH to merge), latest (by tag, by branch), and by
content sha (the permalink verifiers get from pacts for verification)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, patch, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.contracts.document_publisher import DocumentPublisher
from accord.contracts.document_reader import DocumentReader
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.pacts.publication import publish_pact
from accord.pact.pacts.resources import pact_body
from accord.pact.pacts.views import PactView, latest_pact, pact_by_sha, pact_for_version
from accord.pact.path_params import PacticipantName, VersionNumber

_PAIR = "/provider/{provider:str}/consumer/{consumer:str}"
# A pact document is open-ended (every specification version adds fields), so it is read as a JSON object
# and checked by accord.contracts.documents rather than decoded into a Struct.
PactBody = JSONBody[dict[str, Any]]


def _pact_response(
    view: PactView, links: Links, status: int = HTTP_200_OK, *, metadata: str | None = None
) -> Response[Any]:
    """The pact with the broker's `X-Pact-Consumer-Version` header (the consumer version it was read as)."""
    version = view.consumer_version
    # A header carries Latin-1 only; a version number outside ASCII is left to the body's links.
    headers = {"X-Pact-Consumer-Version": version} if version and version.isascii() and version.isprintable() else None
    return hal(pact_body(view, links, metadata=metadata), status, headers=headers)


class PactController(Controller):
    path = "/pacts"
    tags = ["pact"]

    @get(f"{_PAIR}/version/{{version:str}}", operation_id="PactForVersion")
    async def for_version(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        consumer: FromPath[str],
        version: FromPath[str],
    ) -> Response[Any]:
        return _pact_response(await pact_for_version(document_reader, consumer, provider, version), Links(request))

    @put(f"{_PAIR}/version/{{version:str}}", operation_id="PactPublish", summary="201 new, 200 same; 409 changed")
    async def publish(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        document_publisher: NamedDependency[DocumentPublisher],
        provider: FromPath[PacticipantName],
        consumer: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: PactBody,
        replace: FromQuery[bool] = False,
    ) -> Response[Any]:
        published = await publish_pact(
            document_publisher,
            consumer=consumer,
            consumer_version=version,
            provider=provider,
            document=data,
            merge=False,
            replace=replace,
        )
        status = HTTP_201_CREATED if published.status == "created" else HTTP_200_OK
        return _pact_response(
            await pact_for_version(document_reader, consumer, provider, version), Links(request), status
        )

    @patch(f"{_PAIR}/version/{{version:str}}", operation_id="PactMerge", summary="Merge interactions into the pact")
    async def merge(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        document_publisher: NamedDependency[DocumentPublisher],
        provider: FromPath[PacticipantName],
        consumer: FromPath[PacticipantName],
        version: FromPath[VersionNumber],
        data: PactBody,
    ) -> Response[Any]:
        published = await publish_pact(
            document_publisher,
            consumer=consumer,
            consumer_version=version,
            provider=provider,
            document=data,
            merge=True,
            replace=False,
        )
        status = HTTP_201_CREATED if published.status == "created" else HTTP_200_OK
        return _pact_response(
            await pact_for_version(document_reader, consumer, provider, version), Links(request), status
        )

    # Two paths: Litestar derives a distinct operationId for each (a fixed one would collide).
    @get([f"{_PAIR}/latest", f"{_PAIR}/latest/{{tag:str}}"])
    async def latest(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        consumer: FromPath[str],
        tag: FromPath[str | None] = None,
    ) -> Response[Any]:
        return _pact_response(await latest_pact(document_reader, consumer, provider, tag=tag), Links(request))

    @get(f"{_PAIR}/branch/{{branch:str}}/latest", operation_id="LatestPactForBranch")
    async def latest_for_branch(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        consumer: FromPath[str],
        branch: FromPath[str],
    ) -> Response[Any]:
        return _pact_response(await latest_pact(document_reader, consumer, provider, branch=branch), Links(request))

    @get(
        [f"{_PAIR}/pact-version/{{sha:str}}", f"{_PAIR}/pact-version/{{sha:str}}/metadata/{{metadata:str}}"],
        summary="A pact by content sha; verifiers publish results to its pb:publish-verification-results",
    )
    async def pact_version(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        consumer: FromPath[str],
        sha: FromPath[str],
        metadata: FromPath[str | None] = None,
    ) -> Response[Any]:
        view = await pact_by_sha(document_reader, consumer, provider, sha)
        return _pact_response(view, Links(request), metadata=metadata)
