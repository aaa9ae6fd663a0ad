"""JSON pointers (RFC 6901) into specs and contracts, and the dotted field paths messages name fields by."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote

_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*")


def escape(part: str | int) -> str:
    return str(part).replace("~", "~0").replace("/", "~1")


def join(pointer: str, *parts: str | int) -> str:
    """`pointer` with `parts` appended, each escaped."""
    return pointer + "".join("/" + escape(part) for part in parts)


def parts_of(pointer: str) -> list[str]:
    """The unescaped parts of a pointer; a URI fragment (`#/a/b`) is accepted and percent-decoded."""
    if pointer.startswith("#"):
        pointer = unquote(pointer[1:])
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def resolve(document: Any, pointer: str) -> Any:
    """The value a pointer (or `#/...` fragment) points to, or None when it points to nothing."""
    target = document
    for part in parts_of(pointer):
        if isinstance(target, Mapping):
            target = target.get(part)
        elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
            target = target[int(part)]
        else:
            return None
    return target


def field_path(parts: Iterable[str | int]) -> str:
    """`customer.address.zip`, `lines[0].sku`, `["odd key"]`: how a message names a field of a body."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += '["' + part.replace("\\", "\\\\").replace('"', '\\"') + '"]'
    return text
