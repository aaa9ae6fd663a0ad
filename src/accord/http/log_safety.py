"""What reaches the logs from a request can't forge log lines or leak credentials.

Paths, query strings and messages carry client text: control characters in it (a decoded `%0A`) would start
a new, forged line, so they are written escaped. API keys must travel in the Authorization header, but a client
may still put one in the query string; the access log then shows `[redacted]` instead of the value.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

import uvicorn.config

from accord.tenancy.key_material import KEY_PREFIX

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Query parameters whose values may be credentials, by the names clients and frameworks use for them.
_SECRET_NAME = re.compile(
    r"token|key|secret|passw|pwd|auth|credential|session|signature|^sig$|jwt|bearer|^code$", re.IGNORECASE
)
_QUERY_PAIR = re.compile(r"(?P<name>[^&=]*)=(?P<value>[^&]*)")
_KEY_VALUE = re.compile(re.escape(KEY_PREFIX) + r"[A-Za-z0-9_\-]+")
REDACTED = "[redacted]"


def escape_controls(text: str) -> str:
    """Control characters as visible escapes (`\\n`, `\\x00`), so one record stays one line."""
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode("ascii"), text)


def redact_query(path_with_query: str) -> str:
    """The path with the values of credential-like query parameters, and anything shaped like a key, hidden."""
    path, question, query = path_with_query.partition("?")
    if question:

        def hide(pair: re.Match[str]) -> str:
            secret = _SECRET_NAME.search(pair["name"].replace("%5F", "_"))
            return f"{pair['name']}={REDACTED}" if secret else pair[0]

        query = _QUERY_PAIR.sub(hide, query)
    return _KEY_VALUE.sub(REDACTED, f"{path}{question}{query}")


class EscapeControlCharacters(logging.Filter):
    """On a handler: every record's message is written with its control characters escaped."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _CONTROL.search(message):
            record.msg, record.args = escape_controls(message), None
        return True


class SafeAccessLog(logging.Filter):
    """On uvicorn's access handler: its formatter reads `args` (client, method, path, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], escape_controls(redact_query(args[2])), args[3], args[4])
        return True


def uvicorn_log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's own logging set-up, with both filters on its handlers, and the request's context (id, tenant,
    key) on each record; with the json format, its lines are JSON objects like Accord's own."""
    from accord.observability.log_format import context_filter_config, json_formatter_config

    config: dict[str, Any] = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["filters"] = {
        "escape_controls": {"()": f"{__name__}.EscapeControlCharacters"},
        "safe_access_log": {"()": f"{__name__}.SafeAccessLog"},
        "request_context": context_filter_config(),
    }
    config["handlers"]["default"]["filters"] = ["escape_controls", "request_context"]
    config["handlers"]["access"]["filters"] = ["safe_access_log", "request_context"]
    if log_format == "json":
        config["formatters"] = {"json": json_formatter_config()}
        config["handlers"]["default"]["formatter"] = config["handlers"]["access"]["formatter"] = "json"
    return config
