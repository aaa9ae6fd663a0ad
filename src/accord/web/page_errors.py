"""Errors on page routes are HTML pages (not problem JSON): 403, 404, 422, 429 ...; no session -> /login."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect, Template
from litestar.types import ExceptionHandlersMap

from accord.errors import AppError, TooManyRequests
from accord.http.problems import field_errors
from accord.web.viewer import LoginRequired

_TITLES = {
    400: "Bad request",
    401: "Please log in",
    403: "Not allowed",
    404: "Page not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    415: "Unsupported form",
    422: "The form is not valid",
    429: "Too many attempts",
}


def error_page(
    status: int, detail: str, *, title: str | None = None, headers: dict[str, str] | None = None
) -> Template:
    return Template(
        template_name="error.html",
        context={"status": status, "title": title or _TITLES.get(status, "Something went wrong"), "detail": detail},
        status_code=status,
        headers=headers,
    )


def _login_required(request: Request[Any, Any, Any], exc: LoginRequired) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    login = f"/login?next={quote(target, safe='')}"
    if request.headers.get("hx-request"):
        # htmx follows HX-Redirect with a full page load; a plain 302 would be swapped into the fragment.
        return Response("", status_code=401, headers={"HX-Redirect": login})
    return Redirect(login, status_code=303)


def _app_error(request: Request[Any, Any, Any], exc: AppError) -> Response[Any]:
    headers = {"Retry-After": str(exc.retry_after_seconds)} if isinstance(exc, TooManyRequests) else None
    return error_page(exc.status_code, exc.detail, headers=headers)


def _validation_error(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    # The API's reading of Litestar's messages, worded for a person: a form field by its name.
    fields = [
        f"{(error.pointer or '').lstrip('/') or error.parameter or 'form'}: {error.detail}"
        for error in field_errors(exc.extra)
    ]
    detail = "Check these fields: " + "; ".join(fields) if fields else "Some fields of the form are missing or invalid."
    return error_page(422, detail)


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    return error_page(exc.status_code, exc.detail if exc.status_code < 500 else "Something went wrong on our side.")


PAGE_EXCEPTION_HANDLERS: ExceptionHandlersMap = {
    LoginRequired: _login_required,
    AppError: _app_error,
    ValidationException: _validation_error,
    HTTPException: _http_error,
}
