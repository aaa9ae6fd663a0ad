"""Where a validation error points: msgspec's `- at `$.items[0].name`` locations as JSON pointers.

msgspec reports a location only inside its message; Litestar passes the same path on as a `key`. Batch items
(interactions, fixtures) and the problem mapping for request bodies both read them here, so an error points at
the same place whichever way the body arrived.
"""

from __future__ import annotations

import re

from accord.openapi import json_pointers

_LOCATION = re.compile(r"^(?P<detail>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.DOTALL)
# `.name`, `[0]`, `['odd key']`, and `[...]`: msgspec's stand-in for a mapping's key, which it does not name.
_PATH_PART = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]|\['([^']*)'\]|\[\.\.\.\]")
# Messages that name a field of the object at their location: the pointer goes on to the field itself.
_NAMED_FIELD = re.compile(r"(?:unknown|missing required) field `(?P<name>[^`]*)`")


def path_pointer(path: str, detail: str = "") -> str:
    """`$.items[0].name`, `.items[0].name` or `items[0].name` -> `/items/0/name`.

    The pointer stops at a mapping whose key msgspec does not name (`[...]`); a missing or unknown field named
    by `detail` is appended, so the pointer names the field rather than the object that lacks it.
    """
    path = path.removeprefix("$")
    if path and path[0] not in ".[":
        path = "." + path
    tokens: list[str] = []
    for part in _PATH_PART.finditer(path):
        if part.group(0) == "[...]":
            break
        tokens.append(part.group(1) or part.group(2) or part.group(3) or "")
    if named := _NAMED_FIELD.search(detail):
        tokens.append(named["name"])
    return "".join("/" + json_pointers.escape(token) for token in tokens)


def error_pointer(message: str) -> tuple[str, str]:
    """(detail, pointer relative to the validated value) of a msgspec ValidationError message."""
    match = _LOCATION.match(message)
    detail, path = (match["detail"], match["path"] or "") if match else (message, "")
    return detail, path_pointer(path, detail)
