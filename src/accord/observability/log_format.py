"""ACCORD_LOG_FORMAT: one JSON object per line (for log collectors), or the usual text lines.

The JSON formatter is standard logging's (no second logging library): Litestar's handler and uvicorn's
handlers get it, with RequestContextFilter in front so each line names its request, tenant and key. Messages
are the same ones the text format writes; credentials never reach them (accord.http.log_safety redacts the
access log's query strings; API keys travel only in headers, which are never logged).
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

import msgspec

_CONTEXT_FIELDS = ("request_id", "tenant", "key_id")
_encode = msgspec.json.Encoder().encode


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", [request_id, tenant, key_id], [exception]}`, one line each."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in _CONTEXT_FIELDS:
            value = getattr(record, field, "")
            if value:
                line[field] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return _encode(line).decode()


def json_formatter_config() -> dict[str, Any]:
    return {"()": f"{__name__}.JsonFormatter"}


def context_filter_config() -> dict[str, Any]:
    return {"()": "accord.observability.log_context.RequestContextFilter"}
