"""What /schema says about authentication and errors, derived in one place from each operation's shape.

Litestar documents a handler's success response and a generic 400. Every operation can answer more, and how it
can is decided by a few facts, not by each handler: a route that is not public needs a key (401, 429 when a
client keeps failing) and a scope (403); a parameter or body names something that may not exist (404) and may be
invalid (422); a write may conflict (409), and creates or returns what exists (201 or 200); a body may be
malformed, too large or of a media type Accord does not read (400, 413, 415); every route but liveness needs the
database (503). All of them are RFC 9457 problems, except on the operations of an `ErrorDialect` (another API
spoken over Accord, such as the Pact Broker's): those answer that API's error shape unless the client accepts
problems, invalid input as 400 too, and their successes in its media type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIHeader,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)
from litestar.routes import HTTPRoute

from accord.http.problems import PROBLEM_MEDIA_TYPE
from accord.tenancy.middleware import PUBLIC_OPT_KEY

_LIVENESS_PATH = "/health"
_WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
_METHODS = ("get", "put", "post", "delete", "patch", "head")
SECURITY_SCHEMES = {
    "bearer": SecurityScheme(type="http", scheme="bearer", description="`Authorization: Bearer <API key>`"),
    "basic": SecurityScheme(
        type="http",
        scheme="basic",
        description="The API key as the password (or a lone username), as Pact clients send it",
    ),
}
_PROBLEM = Reference(ref="#/components/schemas/Problem")
_STRING = Schema(type=OpenAPIType.STRING)
_ERROR_SCHEMAS = {
    "Problem": Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details; `type` is a stable `urn:accord:problem:<slug>`.",
        required=["type", "title", "status"],
        properties={
            "type": _STRING,
            "title": _STRING,
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": _STRING,
            "instance": _STRING,
            "errors": Schema(type=OpenAPIType.ARRAY, items=Reference(ref="#/components/schemas/ProblemFieldError")),
        },
    ),
    "ProblemFieldError": Schema(
        type=OpenAPIType.OBJECT,
        description="One offending input: a JSON `pointer` into the body, or a `parameter` name.",
        required=["detail"],
        properties={"detail": _STRING, "pointer": _STRING, "parameter": _STRING},
    ),
}
_DESCRIPTIONS = {
    "400": "The body could not be parsed (`malformed-body`)",
    "401": "No usable API key (`unauthenticated`); one `WWW-Authenticate` challenge per scheme",
    "403": "The key lacks the scope this operation needs (`forbidden`)",
    "404": "Nothing by that name or id for this tenant (`not-found`)",
    "405": "The resource this path names does not take this method (`method-not-allowed`)",
    "409": "Conflicts with what exists (`conflict`)",
    "413": "The body is larger than `ACCORD_MAX_BODY_BYTES` (`payload-too-large`)",
    "415": "A body media type Accord does not read (`unsupported-media-type`)",
    "422": "A parameter or a field of the body is invalid (`validation-failed`, see `errors`)",
    "429": (
        "Too many failed authentication attempts from this client (`too-many-requests`), or this key is over "
        "`ACCORD_KEY_RATE_LIMIT` (`rate-limited`); see `Retry-After`"
    ),
    "503": "The database is unavailable (`database-unavailable`)",
}
_SUCCESS_DESCRIPTIONS = {"200": "It existed: the resource as it is now (updated or unchanged)", "201": "Created"}
_RETRY_AFTER: dict[str, OpenAPIHeader | Reference] = {
    "Retry-After": OpenAPIHeader(schema=Schema(type=OpenAPIType.INTEGER), description="Seconds to wait")
}
_CHALLENGE: dict[str, OpenAPIHeader | Reference] = {
    "WWW-Authenticate": OpenAPIHeader(schema=_STRING, description="`Bearer` and `Basic`, one field each")
}


@dataclass(frozen=True)
class ErrorDialect:
    """The operations tagged `tag` speak another API's dialect: errors in its shape (`errors_schema`, as
    `media_type`) unless the client accepts problem details, invalid input as 400 as well as 422, and successes as
    `success_media_type(path)`."""

    tag: str
    media_type: str
    errors_schema_name: str
    errors_schema: Schema
    success_media_type: Callable[[str], str]
    # The 400 of these operations, and what their 422 adds.
    invalid_input_description: str
    problems_only_note: str
    # Inputs /schema cannot list (e.g. Rack-style query strings): every operation may name what does not exist.
    unlisted_input: bool = False

    @property
    def errors_reference(self) -> Reference:
        return Reference(ref=f"#/components/schemas/{self.errors_schema_name}")


def _public_operations(app: Litestar) -> set[tuple[str, str]]:
    return {
        (route.path_format or "/", method.lower())
        for route in app.routes
        if isinstance(route, HTTPRoute)
        for handler in route.route_handlers
        if handler.opt.get(PUBLIC_OPT_KEY)
        for method in handler.http_methods
    }


def _catch_all_paths(app: Litestar) -> set[str]:
    """Paths ending in a `{name:path}` parameter: their handler dispatches on it and refuses methods (405) that the
    sub-resource it names does not take."""
    return {
        route.path_format or "/"
        for route in app.routes
        if isinstance(route, HTTPRoute) and any(parameter.type is Path for parameter in route.path_parameters.values())
    }


def _error_statuses(
    path: str, method: str, operation: Operation, *, public: bool, dialect: ErrorDialect | None
) -> list[str]:
    # Any input can name something that does not exist (a path segment, `?service=`, a body's `version`), and
    # be invalid, whether /schema lists it or not.
    unlisted_input = dialect is not None and dialect.unlisted_input
    has_input = bool(operation.parameters) or operation.request_body is not None or unlisted_input
    statuses = [] if public else ["401", "403", "429"]
    if has_input and not public:
        statuses.append("404")
    if method in _WRITE_METHODS:
        statuses.append("409")
    if operation.request_body is not None:
        statuses += ["400", "413", "415"]
    if has_input:
        statuses.append("422")
    if path != _LIVENESS_PATH:
        statuses.append("503")
    return statuses


def _document_created_or_existing(method: str, responses: dict[str, OpenAPIResponse | Reference]) -> None:
    """Writes here create or return what exists (Pact Broker semantics, idempotent re-uploads): 201 or 200."""
    if method not in ("post", "put", "patch"):
        return
    for present, other in (("201", "200"), ("200", "201")):
        response = responses.get(present)
        if isinstance(response, OpenAPIResponse) and other not in responses:
            responses[other] = dataclasses.replace(response, description=_SUCCESS_DESCRIPTIONS[other])
            return


def _error_response(status: str, *, dialect: ErrorDialect | None) -> OpenAPIResponse:
    content = {PROBLEM_MEDIA_TYPE: OpenAPIMediaType(schema=_PROBLEM)}
    description = _DESCRIPTIONS[status]
    if dialect and status == "400":
        description = dialect.invalid_input_description
    if dialect and status == "422":
        description += dialect.problems_only_note
    elif dialect:  # the dialect's shape unless the client asks for problem details
        content = {dialect.media_type: OpenAPIMediaType(schema=dialect.errors_reference), **content}
    headers = _CHALLENGE if status == "401" else _RETRY_AFTER if status in ("429", "503") else None
    return OpenAPIResponse(description=description, content=content, headers=headers)


def _dialect_of(operation: Operation, dialects: Sequence[ErrorDialect]) -> ErrorDialect | None:
    return next((dialect for dialect in dialects if dialect.tag in (operation.tags or [])), None)


def _document_operation(
    path: str, method: str, operation: Operation, *, public: bool, catch_all: bool, dialect: ErrorDialect | None
) -> None:
    responses = operation.responses or {}
    if "400" in responses and operation.request_body is None:
        del responses["400"]  # Litestar's generic one: only bodies answer 400 here
    _document_created_or_existing(method, responses)
    statuses = _error_statuses(path, method, operation, public=public, dialect=dialect)
    if dialect and "422" in statuses and "400" not in statuses:
        statuses.append("400")
    for status in [*statuses, "405"] if catch_all else statuses:
        existing = responses.get(status)
        if existing is None or status == "400":
            responses[status] = _error_response(status, dialect=dialect)
    if dialect:
        success_type = dialect.success_media_type(path)
        for status, response in responses.items():
            if status.startswith("2") and isinstance(response, OpenAPIResponse) and response.content:
                response.content = {
                    (success_type if media == "application/json" else media): value
                    for media, value in response.content.items()
                }
    operation.responses = responses
    if public:
        operation.security = []  # overrides the document's default: no key needed


def document_security_and_errors(app: Litestar, dialects: Sequence[ErrorDialect] = ()) -> OpenAPI:
    """Builds the app's OpenAPI document now (it is cached) and completes it in place."""
    openapi = app.openapi_schema
    components = openapi.components if isinstance(openapi.components, Components) else Components()
    components.security_schemes = {**(components.security_schemes or {}), **SECURITY_SCHEMES}
    dialect_schemas = {dialect.errors_schema_name: dialect.errors_schema for dialect in dialects}
    components.schemas = {**(components.schemas or {}), **_ERROR_SCHEMAS, **dialect_schemas}
    openapi.components = components
    openapi.security = [{"bearer": []}, {"basic": []}]
    public, catch_all = _public_operations(app), _catch_all_paths(app)
    for path, item in (openapi.paths or {}).items():
        for method in _METHODS:
            operation = getattr(item, method, None)
            if isinstance(operation, Operation):
                public_operation = (path, method) in public
                _document_operation(
                    path,
                    method,
                    operation,
                    public=public_operation,
                    catch_all=path in catch_all,
                    dialect=_dialect_of(operation, dialects),
                )
    return openapi
