"""The only exceptions services raise; http/problems.py maps each to an RFC 9457 problem."""

from __future__ import annotations

from collections.abc import Sequence

import msgspec


class FieldError(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    """One offending input: a JSON pointer into the body, or the name of a parameter."""

    detail: str
    pointer: str | None = None
    parameter: str | None = None


class AppError(Exception):
    status_code: int = 500
    slug: str = "internal-error"
    title: str = "Internal server error"

    def __init__(self, detail: str, *, errors: Sequence[FieldError] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = tuple(errors)


class InvalidInput(AppError):
    status_code = 422
    slug = "validation-failed"
    title = "The request is not valid"


class NotFound(AppError):
    status_code = 404
    slug = "not-found"
    title = "Not found"


class Conflict(AppError):
    status_code = 409
    slug = "conflict"
    title = "Conflict"


class PermissionDenied(AppError):
    status_code = 403
    slug = "forbidden"
    title = "Forbidden"


class Unauthenticated(AppError):
    status_code = 401
    slug = "unauthenticated"
    title = "Authentication required"


class TooManyRequests(AppError):
    status_code = 429
    slug = "too-many-requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_seconds: int) -> None:
        super().__init__(detail)
        self.retry_after_seconds = retry_after_seconds


class RateLimited(TooManyRequests):
    """The API key's own request rate (ACCORD_KEY_RATE_LIMIT), apart from failed-authentication throttling."""

    slug = "rate-limited"
    title = "Rate limit exceeded"
