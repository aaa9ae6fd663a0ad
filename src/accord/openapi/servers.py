"""Server base paths: where an API's paths start (OpenAPI 3 `servers[].url`, Swagger 2 `basePath`).

Routing requests to operations (specs.operations) and comparing two versions of a spec (spec_diff) read them
the same way: variables at their defaults, relative URLs taken from the root, each base as its path segments.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from accord.openapi.dialects import dialect_of

_VARIABLE = re.compile(r"\{([^{}/]*)\}")

BasePath = list[str]  # the segments of a base path; [] is the root


def segments(path: str) -> list[str]:
    """A path's segments; empty ones go (`/orders/` is `/orders`, and `//orders` is too)."""
    return [segment for segment in path.split("/") if segment]


def root_base_paths(document: Mapping[str, Any]) -> list[BasePath]:
    """The document's own base paths (at least the root): Swagger 2 `basePath`, or OpenAPI 3 root `servers`."""
    if dialect_of(document) == "2.0":
        base_path = document.get("basePath")
        return [segments(base_path)] if isinstance(base_path, str) else [[]]
    return server_base_paths(document.get("servers")) or [[]]


def server_base_paths(servers: Any) -> list[BasePath]:
    """The distinct path parts of OpenAPI 3 server URLs, variables substituted with their defaults."""
    found: list[BasePath] = []
    for server in servers if isinstance(servers, list) else ():
        if not isinstance(server, Mapping) or not isinstance(server.get("url"), str):
            continue
        url = _substitute_defaults(server["url"], server.get("variables"))
        path = urlsplit(url).path if "://" in url or url.startswith("//") else url
        # Relative URLs are relative to where the document is served; take them from the root.
        base = [segment for segment in segments(path) if segment not in (".", "..")]
        if base not in found:
            found.append(base)
    return found


def as_path(base: BasePath) -> str:
    """A base path written out: `/v1`, or '' for the root."""
    return "".join("/" + segment for segment in base)


def _substitute_defaults(url: str, variables: Any) -> str:
    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1)) if isinstance(variables, Mapping) else None
        value = variable.get("default") if isinstance(variable, Mapping) else None
        # A variable without a default (invalid) stays a template, so it matches any segment.
        return str(value) if isinstance(value, str | int | float) else match.group(0)

    return _VARIABLE.sub(default, url)
