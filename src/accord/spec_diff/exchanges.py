"""The HTTP exchanges a stored contract content relies on, in one form whatever its kind.

Accord's recorded contracts (`interactions`) hold normalized requests and responses; pacts (`pact`) hold
Pact's shapes: v2 query strings, v3 query maps, v4 bodies wrapped as `{content, contentType, encoded}`,
and v4 interaction types of which only synchronous HTTP is an HTTP exchange.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import msgspec

from accord.verification.interaction_keys import interaction_key


class OpaqueBody:
    """A body that is there but can't be read as JSON (a v4 pact's encoded content)."""


OPAQUE = OpaqueBody()


@dataclass(frozen=True, slots=True)
class Exchange:
    key: str
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: Any = None  # None: no body
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None


def exchanges_of(kind: str, content: Any) -> list[Exchange]:
    if not isinstance(content, dict):
        return []
    return _from_pact(content) if kind == "pact" else _from_recorded(content)


def _from_recorded(content: dict[str, Any]) -> list[Exchange]:
    found: list[Exchange] = []
    for item in content.get("interactions") or ():
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            continue
        found.append(_exchange(item["key"], item.get("request"), item.get("response"), wrapped_bodies=False))
    return found


def _from_pact(document: dict[str, Any]) -> list[Exchange]:
    v4 = _specification(document).startswith("4")
    found: list[Exchange] = []
    for index, item in enumerate(document.get("interactions") or ()):
        if not isinstance(item, dict) or (v4 and item.get("type", "Synchronous/HTTP") != "Synchronous/HTTP"):
            continue
        key = interaction_key(item) or f"interaction {index}"
        found.append(_exchange(key, item.get("request"), item.get("response"), wrapped_bodies=v4))
    return found


def _specification(document: dict[str, Any]) -> str:
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return ""
    for name in ("pactSpecification", "pact-specification", "pactSpecificationVersion"):
        value = metadata.get(name)
        version = value.get("version") if isinstance(value, dict) else value
        if isinstance(version, str):
            return version
    return ""


def _exchange(key: str, request: Any, response: Any, *, wrapped_bodies: bool) -> Exchange:
    request = request if isinstance(request, dict) else {}
    response = response if isinstance(response, dict) else {}
    status = response.get("status")
    return Exchange(
        key=key,
        method=str(request.get("method") or "GET").upper(),
        path=str(request.get("path") or "/"),
        query=_query(request.get("query")),
        headers=_headers(request.get("headers")),
        body=_body(request.get("body"), wrapped_bodies),
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        response_headers=_headers(response.get("headers")),
        response_body=_body(response.get("body"), wrapped_bodies),
    )


def _query(query: Any) -> dict[str, list[str]]:
    if isinstance(query, str):  # Pact v2
        return parse_qs(query, keep_blank_values=True)
    if not isinstance(query, dict):
        return {}
    return {str(k): [str(x) for x in v] if isinstance(v, list) else [str(v)] for k, v in query.items()}


def _headers(headers: Any) -> dict[str, str]:
    if not isinstance(headers, dict):
        return {}
    return {str(k).lower(): ", ".join(map(str, v)) if isinstance(v, list) else str(v) for k, v in headers.items()}


def _body(body: Any, wrapped: bool) -> Any:
    if not (wrapped and isinstance(body, dict) and "content" in body):
        return body
    encoded, content = body.get("encoded"), body["content"]
    if encoded in (None, False):
        return content
    if encoded == "json" and isinstance(content, str):  # JSON kept as a string
        try:
            return msgspec.json.decode(content)
        except msgspec.DecodeError:
            return OPAQUE
    return OPAQUE
