"""Recorded interactions and Pact interactions (v1-v4) in one shape to check, with where each part sits.

The checker reports pointers into the interaction as the contract holds it, so each part keeps its own: a v4
body's content is at `/response/body/content`, a v2 query string is `/request/query`, a header keeps the case
the contract gave its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import msgspec

from accord.compatibility.pact_matchers import BodyRules, body_rules, status_rule
from accord.compatibility.schemas import ContractKind, Side
from accord.openapi import json_pointers


@dataclass(slots=True)
class HttpMessage:
    """What the checker says about one side of an exchange: headers by lower-case name, the body if any."""

    where: Side
    pointer: str  # /request or /response
    headers: dict[str, str] = field(default_factory=dict)
    header_pointers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    has_body: bool = False
    body_pointer: str = ""
    body_encoded: bool = False  # base64 or otherwise not readable: its content isn't checked
    content_type: str | None = None
    rules: BodyRules = field(default_factory=lambda: BodyRules([]))


@dataclass(slots=True)
class HttpExchange:
    key: str
    index: int
    method: str
    path: str
    query: dict[str, list[str]]
    query_pointers: dict[str, str]
    request: HttpMessage
    status: int | None
    response: HttpMessage
    status_matcher: dict[str, Any] | None = None


@dataclass(slots=True)
class NotCheckable:
    key: str
    index: int
    reason: str


def read_interactions(interactions: list[dict[str, Any]], kind: ContractKind) -> list[HttpExchange | NotCheckable]:
    return [_read(each, index, kind) for index, each in enumerate(interactions)]


def pact_interactions(pact: dict[str, Any]) -> list[dict[str, Any]]:
    """The interactions of a pact document, messages (v3 message pacts) included."""
    found: list[dict[str, Any]] = []
    for array in ("interactions", "messages"):
        listed = pact.get(array)
        if isinstance(listed, list):
            found.extend(each for each in listed if isinstance(each, dict))
    return found


def _read(interaction: Any, index: int, kind: ContractKind) -> HttpExchange | NotCheckable:
    if not isinstance(interaction, dict):
        return NotCheckable(f"#{index}", index, "the interaction is not an object")
    key = _key(interaction, index, kind)
    interaction_type = interaction.get("type")
    if isinstance(interaction_type, str) and "Messages" in interaction_type:
        return NotCheckable(key, index, "a message interaction: an OpenAPI spec doesn't describe messages")
    request, response = interaction.get("request"), interaction.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        if "contents" in interaction or "metadata" in interaction:
            return NotCheckable(key, index, "a message interaction: an OpenAPI spec doesn't describe messages")
        return NotCheckable(key, index, "the interaction has no request and response to check")
    method, path = request.get("method"), request.get("path")
    if not isinstance(method, str) or not isinstance(path, str):
        return NotCheckable(key, index, "the request has no method or path")
    v4 = isinstance(interaction_type, str) and interaction_type.startswith("Synchronous/HTTP")
    query, query_pointers = _query(request.get("query"), path)
    status = response.get("status")
    return HttpExchange(
        key=key,
        index=index,
        method=method.upper(),
        path=path.split("?", 1)[0],
        query=query,
        query_pointers=query_pointers,
        request=_message("request", request, v4=v4, pact=kind == "pact"),
        status=status if isinstance(status, int) and not isinstance(status, bool) else None,
        response=_message("response", response, v4=v4, pact=kind == "pact"),
        status_matcher=status_rule(response.get("matchingRules")) if kind == "pact" else None,
    )


def _key(interaction: dict[str, Any], index: int, kind: ContractKind) -> str:
    names = ("key", "description") if kind == "interactions" or "type" in interaction else ("description", "key")
    for name in names:
        value = interaction.get(name)
        if isinstance(value, str) and value:
            return value
    return f"#{index}"


def _query(raw: Any, path: str) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Query parameters by name: a v2 string, a v3/v4 or recorded object of lists (or strings)."""
    if isinstance(raw, str) or (not raw and "?" in path):
        text = raw if isinstance(raw, str) else path.split("?", 1)[1]
        parsed = parse_qs(text.lstrip("?"), keep_blank_values=True)
        pointer = "/request/query" if isinstance(raw, str) else "/request/path"
        return parsed, dict.fromkeys(parsed, pointer)
    query: dict[str, list[str]] = {}
    found_pointers: dict[str, str] = {}
    for name, value in raw.items() if isinstance(raw, dict) else ():
        values = value if isinstance(value, list) else [value]
        query[str(name)] = [str(each) if not isinstance(each, str) else each for each in values if each is not None]
        found_pointers[str(name)] = json_pointers.join("/request/query", str(name))
    return query, found_pointers


def _message(where: Side, raw: dict[str, Any], *, v4: bool, pact: bool) -> HttpMessage:
    base = "/" + where
    message = HttpMessage(where=where, pointer=base)
    headers = raw.get("headers")
    for name, value in headers.items() if isinstance(headers, dict) else ():
        text = ", ".join(str(each) for each in value) if isinstance(value, list) else str(value)
        lower = str(name).lower()
        message.headers[lower] = f"{message.headers[lower]}, {text}" if lower in message.headers else text
        message.header_pointers[lower] = json_pointers.join(base, "headers", str(name))
    message.content_type = message.headers.get("content-type")
    body = raw.get("body")
    message.body_pointer = base + "/body"
    if v4 and isinstance(body, dict) and "content" in body:
        message.body_pointer = base + "/body/content"
        encoded = body.get("encoded")
        message.body_encoded = bool(encoded) and encoded != "json"
        message.content_type = message.content_type or (
            body.get("contentType") if isinstance(body.get("contentType"), str) else None
        )
        body = body.get("content")
    message.has_body = body is not None and body != ""
    message.body = _decoded(body, message.content_type) if message.has_body and not message.body_encoded else body
    if pact:
        message.rules = body_rules(raw.get("matchingRules"))
    return message


def _decoded(body: Any, content_type: str | None) -> Any:
    """A JSON body recorded (or written in a v4 pact) as text is checked as the document it holds."""
    if isinstance(body, str) and content_type is not None and "json" in content_type.lower():
        try:
            return msgspec.json.decode(body)
        except msgspec.DecodeError:
            return body
    return body
