"""One mapping from every error to an RFC 9457 problem (application/problem+json) with a stable type."""

from __future__ import annotations

import logging
import re
from typing import Any

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response.base import ASGIResponse
from litestar.types import ExceptionHandlersMap

from accord.errors import AppError, FieldError, TooManyRequests
from accord.http.validation_errors import path_pointer

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:accord:problem:"
DATABASE_RETRY_AFTER_SECONDS = 5
# One WWW-Authenticate field per scheme: Chromium ignores a single field listing both (RFC 9110 allows either),
# and then a browser never offers its Basic login.
AUTH_CHALLENGES = ('Bearer realm="accord"', 'Basic realm="accord"')

_SLUGS_BY_STATUS: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Authentication required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload-too-large", "Request body too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-failed", "The request is not valid"),
    429: ("too-many-requests", "Too many requests"),
}


class Problem(msgspec.Struct, kw_only=True, omit_defaults=True):
    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] | None = None


class ChallengeResponse(Response[Any]):
    """A 401: the body as given, plus one `WWW-Authenticate` field per accepted scheme."""

    def to_asgi_response(self, *args: Any, **kwargs: Any) -> ASGIResponse:
        response = super().to_asgi_response(*args, **kwargs)
        for challenge in AUTH_CHALLENGES:
            response.headers.add("WWW-Authenticate", challenge)
        return response


def response_class_for(status: int) -> type[Response[Any]]:
    return ChallengeResponse if status == 401 else Response


def problem_response(
    request: Request[Any, Any, Any] | None,
    *,
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    problem = Problem(
        type=PROBLEM_TYPE_PREFIX + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=errors or None,
    )
    return response_class_for(status)(problem, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Problem]:
    headers = {"Retry-After": str(exc.retry_after_seconds)} if isinstance(exc, TooManyRequests) else None
    return problem_response(
        request,
        status=exc.status_code,
        slug=exc.slug,
        title=exc.title,
        detail=exc.detail,
        errors=list(exc.errors),
        headers=headers,
    )


def field_errors(extra: Any) -> list[FieldError]:
    """Litestar's per-field messages as FieldErrors: JSON pointers into the body, `where.name` otherwise."""
    errors: list[FieldError] = []
    for item in extra if isinstance(extra, list) else []:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "invalid value"))
        source = getattr(item.get("source"), "value", item.get("source"))
        key = str(item.get("key") or "")
        if source == "body" or (source is None and key.startswith("$")):
            location = "" if key in ("", "data") else key  # "data" alone: the body as a whole
            pointer = path_pointer(location, message)
            errors.append(FieldError(detail=message, pointer=pointer or "/"))
        elif source is not None:
            errors.append(FieldError(detail=message, parameter=f"{source}.{key}" if key else str(source)))
        else:
            errors.append(FieldError(detail=message, parameter=key or None))
    return errors


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Problem]:
    if _is_decode_failure(exc):
        return problem_response(
            request,
            status=400,
            slug="malformed-body",
            title="The request body could not be parsed",
            detail=exc.detail,
        )
    return problem_response(
        request,
        status=422,
        slug="validation-failed",
        title="The request is not valid",
        detail="One or more fields are invalid; see `errors`.",
        errors=field_errors(exc.extra) or _missing_parameter(exc.detail),
    )


_MISSING_PARAMETER = re.compile(r"^Missing required (?P<where>\w+) parameter '(?P<name>[^']+)'")


def _missing_parameter(detail: str) -> list[FieldError]:
    """Litestar reports a missing parameter only in its message; name it like any other parameter error."""
    match = _MISSING_PARAMETER.match(detail)
    if match is None:
        return [FieldError(detail=detail)]
    return [FieldError(detail="required", parameter=f"{match['where']}.{match['name']}")]


def _is_decode_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        # ValidationError subclasses DecodeError, but it means well-formed input with wrong values.
        if isinstance(seen, msgspec.DecodeError) and not isinstance(seen, msgspec.ValidationError):
            return True
        seen = seen.__cause__ or seen.__context__
    detail = getattr(exc, "detail", "")
    return isinstance(detail, str) and detail.startswith(("JSON is malformed", "Input data was truncated"))


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Problem]:
    slug, title = _SLUGS_BY_STATUS.get(exc.status_code, ("http-error", "HTTP error"))
    if exc.status_code == 400 and _is_decode_failure(exc):
        slug, title = "malformed-body", "The request body could not be parsed"
    if exc.status_code >= 500:
        slug, title = "internal-error", "Internal server error"
    headers = {name: value for name, value in (exc.headers or {}).items() if name.lower() != "www-authenticate"}
    return problem_response(
        request, status=exc.status_code, slug=slug, title=title, detail=exc.detail, headers=headers or None
    )


# A lost or refused database connection, wherever it surfaces: connecting, acquiring from or releasing to the
# pool, mid-query (AdminShutdown on a fast shutdown), or rolling back on a connection that just died. asyncpg
# reports the last two as InterfaceError ("the underlying connection is closed"; ConnectionDoesNotExistError
# is one of them) or, when the server's goodbye arrives while a pooled connection starts its next query, as
# InternalClientError ("cannot switch to state 12; another operation (2) is in progress").
_DATABASE_DOWN = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.ConnectionDoesNotExistError,
)


def is_database_unavailable(exc: BaseException) -> bool:
    """Whether `exc`, or what it was raised from or while handling, is a database connection failure.

    A rollback that fails on a dead connection raises its own error with the real cause as its context, and
    concurrently resolved dependencies can raise a group; all of them mean the same outage.
    """
    if isinstance(exc, _DATABASE_DOWN):
        return True
    # Down the chain only asyncpg's own errors count: a bug raised while handling some unrelated OSError
    # (a missing file) must still answer 500.
    pending: list[BaseException] = [exc]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, _DATABASE_DOWN) and type(current).__module__.startswith("asyncpg"):
            return True
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


_RETRYABLE = (asyncpg.SerializationError, asyncpg.DeadlockDetectedError)


def _unexpected_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Problem]:
    if is_database_unavailable(exc):
        logger.warning("database unavailable: %s: %s", type(exc).__name__, exc)
        return problem_response(
            request,
            status=503,
            slug="database-unavailable",
            title="The database is unavailable",
            detail="Accord cannot reach its database right now; retry shortly.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, _RETRYABLE):
        return problem_response(
            request,
            status=503,
            slug="retry",
            title="Concurrent update, retry",
            detail="The request collided with a concurrent one; retrying it will succeed.",
            headers={"Retry-After": "1"},
        )
    if isinstance(exc, asyncpg.UniqueViolationError):
        # Services turn expected races into Conflict themselves; this is the safety net so a race never 500s.
        return problem_response(
            request,
            status=409,
            slug="conflict",
            title="Conflict",
            detail="A conflicting record already exists.",
        )
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(request, status=500, slug="internal-error", title="Internal server error")


EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    AppError: _app_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
    Exception: _unexpected_error,
}
