"""Errors in the shape Pact clients parse ({"errors": {...}}), or RFC 9457 problems when the client asks."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_400_BAD_REQUEST, HTTP_422_UNPROCESSABLE_ENTITY
from litestar.types import ExceptionHandlersMap

from accord.errors import AppError
from accord.http.problems import EXCEPTION_HANDLERS, PROBLEM_MEDIA_TYPE, Problem, response_class_for
from accord.pact.media import HAL_JSON_RESPONSE

_JSON = HAL_JSON_RESPONSE


def _wants_problem(request: Request[Any, Any, Any]) -> bool:
    return PROBLEM_MEDIA_TYPE in request.headers.get("accept", "")


# Handlers whose validation errors the broker lists as plain messages (the matrix, can-i-deploy).
ERRORS_AS_LIST_OPT = "pact_errors_as_list"


def _as_pact_errors(response: Response[Any], *, as_list: bool) -> Response[Any]:
    """Rewrite a problem response into the Pact Broker's `{"errors": {field: [message]}}` (or, on the matrix,
    `{"errors": [message]}`); invalid input is a 400 there, where Accord's problem details say 422."""
    problem = response.content
    if not isinstance(problem, Problem):
        return response
    errors: dict[str, list[str]] = {}
    for error in problem.errors or []:
        # Query parameters by their bare name (`page`, `size`), as the broker's query contracts key them.
        parameter = error.parameter.removeprefix("query.") if error.parameter else None
        field = (error.pointer or "").strip("/").replace("/", ".") or parameter or "base"
        errors.setdefault(field, []).append(error.detail)
    if not errors:
        errors["base"] = [problem.detail or problem.title]
    status = HTTP_400_BAD_REQUEST if problem.status == HTTP_422_UNPROCESSABLE_ENTITY else problem.status
    shown: Any = [message for messages in errors.values() for message in messages] if as_list else errors
    body = {"errors": shown, "title": problem.title, "status": status}
    response_class = response_class_for(status)
    return response_class(body, status_code=status, media_type=_JSON, headers=dict(response.headers))


def _errors_as_list(request: Request[Any, Any, Any]) -> bool:
    handler = request.scope.get("route_handler")
    return bool(handler is not None and handler.opt.get(ERRORS_AS_LIST_OPT))


def _handler(kind: type[Exception]) -> Any:
    problem_handler = EXCEPTION_HANDLERS[kind]

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        response = problem_handler(request, exc)
        return response if _wants_problem(request) else _as_pact_errors(response, as_list=_errors_as_list(request))

    return handle


PACT_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    kind: _handler(kind) for kind in (AppError, ValidationException, HTTPException, Exception)
}
