"""OpenAPI operation ids for handlers that don't name one: unique per path, even for multi-path handlers."""

from __future__ import annotations

import re

from litestar.handlers import HTTPRouteHandler
from litestar.types import Method
from litestar.types.internal_types import PathParameterDefinition


def _camel(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", text) if part)


def operation_id_for(
    route_handler: HTTPRouteHandler, http_method: Method, path_components: list[str | PathParameterDefinition]
) -> str:
    """Litestar's default drops repeated path words, so `/x/latest` and `/x/{tag}/latest` collide; this keeps
    every component (parameters as `By<Name>`), plus the method when a handler serves several."""
    parts = [
        f"By{_camel(component.name)}" if isinstance(component, PathParameterDefinition) else _camel(component)
        for component in path_components
    ]
    method = _camel(str(http_method).lower()) if len(route_handler.http_methods) > 1 else ""
    return method + "".join(parts) or _camel(route_handler.handler_name)
