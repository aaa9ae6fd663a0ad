from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Controller, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, QueryParameter, RawBody

from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.specs.media_types import SPEC_MEDIA_TYPES, source_format_of
from accord.specs.schemas import (
    DocumentFormat,
    SelfVerificationCreate,
    SelfVerificationReport,
    SpecSummary,
    SpecUpload,
)
from accord.specs.self_verification import from_upload_query
from accord.specs.service import SpecService

ContentTypeHeader = Annotated[str | None, HeaderParameter(name="content-type", required=False)]
VerificationSuccessQuery = Annotated[
    bool | None,
    QueryParameter(
        name="verification_success",
        description="The provider's self-verification of this document passed (true) or failed (false); with "
        "`verifier`. A static check against the spec counts for can-i-deploy only with a passed one.",
    ),
]
VerifierQuery = Annotated[
    str | None,
    QueryParameter(description="The tool that checked the running provider against the document (e.g. Dredd)."),
]
VerifierVersionQuery = Annotated[str | None, QueryParameter(description="That tool's version.")]
FormatQuery = Annotated[
    DocumentFormat, QueryParameter(name="format", description="`original`: the text exactly as uploaded.")
]


@dataclass
class _DocumentUploadOperation(Operation):
    """Documents the upload's body, which Litestar only infers from a `data` parameter."""

    def __post_init__(self) -> None:
        document = OpenAPIMediaType(
            schema=Schema(type=OpenAPIType.OBJECT, description="An OpenAPI 3.0, 3.1 or 2.0 document")
        )
        self.request_body = RequestBody(content=dict.fromkeys(SPEC_MEDIA_TYPES, document), required=True)


class SpecController(Controller):
    """A provider version's OpenAPI document.

    The upload reads the raw body (`body`), not a decoded `data`: Litestar would parse `data` as JSON, and
    YAML is welcome here. So the media type is checked by `source_format_of`, not the app's 415 hook.
    """

    path = "/api/services/{name:str}"
    tags = ["specs"]
    # `spec_service` is provided by accord.composition (registered on the app).

    @post(
        "/versions/{number:str}/spec",
        operation_id="UploadSpec",
        summary="Upload the version's OpenAPI document (JSON or YAML); 409 if it has another unless ?replace=true",
        operation_class=_DocumentUploadOperation,
        responses={200: ResponseSpec(SpecUpload, description="The spec was unchanged, or replaced")},
    )
    async def upload_spec(
        self,
        spec_service: NamedDependency[SpecService],
        name: FromPath[str],
        number: FromPath[str],
        body: RawBody,
        content_type: ContentTypeHeader = None,
        replace: FromQuery[bool] = False,
        verification_success: VerificationSuccessQuery = None,
        verifier: VerifierQuery = None,
        verifier_version: VerifierVersionQuery = None,
    ) -> Response[SpecUpload]:
        source_format = source_format_of(content_type)
        verification = from_upload_query(verification_success, verifier, verifier_version)
        uploaded = await spec_service.upload(
            name, number, body, source_format, replace=replace, verification=verification
        )
        return Response(uploaded, status_code=201 if uploaded.outcome == "created" else 200)

    @put(
        "/versions/{number:str}/spec/verification-result",
        operation_id="PublishSpecSelfVerification",
        summary="Publish the provider's own verification of the version's spec (replaces the previous one)",
    )
    async def publish_spec_verification(
        self,
        spec_service: NamedDependency[SpecService],
        name: FromPath[str],
        number: FromPath[str],
        data: JSONBody[SelfVerificationCreate],
    ) -> SelfVerificationReport:
        return await spec_service.publish_verification(name, number, data)

    @get(
        "/versions/{number:str}/spec/verification-result",
        operation_id="GetSpecSelfVerification",
        summary="The provider's own verification of the version's spec, with its report",
    )
    async def get_spec_verification(
        self, spec_service: NamedDependency[SpecService], name: FromPath[str], number: FromPath[str]
    ) -> SelfVerificationReport:
        return await spec_service.verification(name, number)

    @get("/versions/{number:str}/spec", operation_id="GetSpec", summary="The document as JSON, or as uploaded")
    async def get_spec(
        self,
        spec_service: NamedDependency[SpecService],
        name: FromPath[str],
        number: FromPath[str],
        document_format: FormatQuery = "json",
    ) -> Response[bytes]:
        document = await spec_service.document(name, number, document_format)
        return Response(document.content, media_type=document.media_type)

    @get("/specs", operation_id="ListSpecs", summary="Versions with a spec, newest first; filter by version or sha")
    async def list_specs(
        self,
        spec_service: NamedDependency[SpecService],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        openapi_version: FromQuery[str | None] = None,
        content_sha: FromQuery[str | None] = None,
    ) -> Page[SpecSummary]:
        return await spec_service.list_specs(
            name, limit=limit, cursor=cursor, openapi_version=openapi_version, content_sha=content_sha
        )

    @delete("/versions/{number:str}/spec", operation_id="DeleteSpec")
    async def delete_spec(
        self, spec_service: NamedDependency[SpecService], name: FromPath[str], number: FromPath[str]
    ) -> None:
        await spec_service.delete(name, number)
