"""How /schema documents the Pact routes: the broker's error shape, HAL successes (badges: SVG)."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPIType, Schema

from accord.http.openapi_errors import ErrorDialect
from accord.pact.media import HAL_JSON, SVG

_STRING = Schema(type=OpenAPIType.STRING)

_PACT_ERRORS = Schema(
    type=OpenAPIType.OBJECT,
    description="The Pact Broker's error shape: messages by field (`base` for the request as a whole); "
    "the matrix and can-i-deploy list plain messages.",
    required=["errors"],
    properties={
        "errors": Schema(
            one_of=[
                Schema(type=OpenAPIType.OBJECT, additional_properties=Schema(type=OpenAPIType.ARRAY, items=_STRING)),
                Schema(type=OpenAPIType.ARRAY, items=_STRING),
            ]
        ),
        "title": _STRING,
        "status": Schema(type=OpenAPIType.INTEGER),
    },
)


def _success_media_type(path: str) -> str:
    return SVG if path.endswith("/badge") else HAL_JSON


PACT_DIALECT = ErrorDialect(
    tag="pact",
    media_type=HAL_JSON,
    errors_schema_name="PactErrors",
    errors_schema=_PACT_ERRORS,
    success_media_type=_success_media_type,
    invalid_input_description=(
        "Invalid input, in the Pact Broker's shape (a body that could not be parsed, as problem details)"
    ),
    problems_only_note="; with `Accept: application/problem+json` only, the Pact shape answers 400",
    # The matrix and can-i-deploy read Rack-style query strings (`q[][pacticipant]`).
    unlisted_input=True,
)
