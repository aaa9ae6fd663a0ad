"""What every log line written during a request says about it: request id, tenant slug and key id.

Set by the request's middleware (plain ASGI, in the request's own task) and read by a logging filter in the
thread that logs, so Litestar's, uvicorn's (the access log) and Accord's own lines all carry it. Middleware,
not dependencies, sets it: Litestar resolves dependencies in tasks of their own, whose changes never come back.
"""

from __future__ import annotations

import contextvars
import logging

# (request id, tenant slug, key id); '' where not known (yet), e.g. before authentication.
_request: contextvars.ContextVar[tuple[str, str, str]] = contextvars.ContextVar(
    "accord_log_context", default=("", "", "")
)


def log_request(request_id: str) -> None:
    _request.set((request_id, "", ""))


def log_principal(request_id: str, tenant_slug: str, key_id: str) -> None:
    _request.set((request_id, tenant_slug, key_id))


class RequestContextFilter(logging.Filter):
    """On a handler: gives each record `request_id`, `tenant` and `key_id` attributes ('' outside requests)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id, record.tenant, record.key_id = _request.get()
        return True
