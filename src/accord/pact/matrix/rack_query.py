"""Rack-style nested query parameters (Rack::Utils.parse_nested_query), as Pact clients send them.

`q[][pacticipant]=A&q[][version]=1&q[][pacticipant]=B&q[][latest]=true` is a list of hashes: a child key goes
into the last hash of the list unless that hash already has it, in which case it starts a new one. So the order
of the raw query string matters, which is why this parses the raw string rather than a decoded multi-dict.
Supported shapes: `k=v` (the last one wins), `k[]=v` (a list), `k[][c]=v` (a list of hashes) and `k[c]=v` (a
hash). Values may mix in a list (`ignore[]=a&ignore[][pacticipant]=b`), as in Rack.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote_plus

from accord.errors import FieldError, InvalidInput

NestedValue = str | list[Any] | dict[str, Any]

_LIST_OF_HASHES = re.compile(r"^\[\]\[([^\[\]]+)\]$")
_HASH = re.compile(r"^\[([^\[\]]+)\]$")
MAX_PARAMETERS = 1000


def _conflict(key: str) -> InvalidInput:
    return InvalidInput(
        f"Query parameter '{key}' is used with conflicting shapes.",
        errors=[FieldError(detail="conflicting nesting of the same name", parameter=key)],
    )


def _into_list(params: dict[str, NestedValue], name: str, key: str) -> list[Any]:
    existing = params.setdefault(name, [])
    if not isinstance(existing, list):
        raise _conflict(key)
    return existing


def parse_nested_query(raw: str) -> dict[str, NestedValue]:
    """Parse a raw (still percent-encoded) query string."""
    params: dict[str, NestedValue] = {}
    pairs = [part for part in raw.split("&") if part]
    if len(pairs) > MAX_PARAMETERS:
        raise InvalidInput(f"At most {MAX_PARAMETERS} query parameters are accepted.")
    for part in pairs:
        raw_key, _, raw_value = part.partition("=")
        key, value = unquote_plus(raw_key), unquote_plus(raw_value)
        name, bracket, rest = key.partition("[")
        if not name:
            continue  # Rack drops keys without a name
        nesting = bracket + rest
        if not nesting:
            params[name] = value
        elif nesting == "[]":
            _into_list(params, name, key).append(value)
        elif match := _LIST_OF_HASHES.match(nesting):
            items = _into_list(params, name, key)
            child = match.group(1)
            if items and isinstance(items[-1], dict) and child not in items[-1]:
                items[-1][child] = value
            else:
                items.append({child: value})
        elif match := _HASH.match(nesting):
            existing = params.setdefault(name, {})
            if not isinstance(existing, dict):
                raise _conflict(key)
            existing[match.group(1)] = value
        else:
            raise InvalidInput(
                f"Query parameter '{key}' nests deeper than Accord accepts.",
                errors=[FieldError(detail="unsupported nesting", parameter=key)],
            )
    return params
