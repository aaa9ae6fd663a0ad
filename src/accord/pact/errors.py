"""Errors in the shape Pact clients parse ({"errors": {...}}), or RFC 9457 problems when the client asks."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.types import ExceptionHandlersMap

from accord.errors import AppError
from accord.http.problems import EXCEPTION_HANDLERS, PROBLEM_MEDIA_TYPE, Problem, response_class_for
from accord.pact.media import HAL_JSON_RESPONSE

_JSON = HAL_JSON_RESPONSE


def _wants_problem(request: Request[Any, Any, Any]) -> bool:
    return PROBLEM_MEDIA_TYPE in request.headers.get("accept", "")


def _as_pact_errors(response: Response[Any]) -> Response[Any]:
    """Rewrite a problem response into the Pact Broker's `{"errors": {field: [message]}}`."""
    problem = response.content
    if not isinstance(problem, Problem):
        return response
    errors: dict[str, list[str]] = {}
    for error in problem.errors or []:
        field = (error.pointer or "").strip("/").replace("/", ".") or error.parameter or "base"
        errors.setdefault(field, []).append(error.detail)
    if not errors:
        errors["base"] = [problem.detail or problem.title]
    body = {"errors": errors, "title": problem.title, "status": problem.status}
    response_class = response_class_for(problem.status)
    return response_class(body, status_code=response.status_code, media_type=_JSON, headers=dict(response.headers))


def _handler(kind: type[Exception]) -> Any:
    problem_handler = EXCEPTION_HANDLERS[kind]

    def handle(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        response = problem_handler(request, exc)
        return response if _wants_problem(request) else _as_pact_errors(response)

    return handle


PACT_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    kind: _handler(kind) for kind in (AppError, ValidationException, HTTPException, Exception)
}
