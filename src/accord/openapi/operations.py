"""What makes an OpenAPI operation the same one to specs, the static checker and the spec diff: its methods,
its name, the keys of its responses and media types.

The checker, the mock and the diff read an operation's contents through one model (operation_model.py); routing
(specs.operations) reads only paths and methods, but must agree on these, or a request it routes would not find
its operation in the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The methods a path item may hold, in OpenAPI's order (which is also the order `Allow` lists them in).
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operation_name(method: str, template: str, operation: Mapping[str, Any]) -> str:
    """The operationId, or `METHOD /path/{template}` for an operation without one."""
    operation_id = operation.get("operationId")
    return operation_id if isinstance(operation_id, str) and operation_id else f"{method.upper()} {template}"


def response_key(status: str) -> str:
    """A response's key as both readers compare it: `200`, `2XX` (ranges upper-cased) or `default`."""
    return status.upper() if status.lower() != "default" else "default"


def media_type_key(media_type: str | None) -> str:
    """A media type without its parameters, lower case: `Application/JSON; charset=utf-8` -> `application/json`."""
    return (media_type or "").split(";", 1)[0].strip().lower()
