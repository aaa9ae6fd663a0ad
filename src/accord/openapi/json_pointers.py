"""JSON pointers (RFC 6901): the one place that escapes and unescapes their reference tokens.

Every pointer Accord writes (into specs, contracts, request bodies) is built here, so `~` and `/` in a key are
escaped the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote


def escape(part: str | int) -> str:
    """One reference token: `~` becomes `~0` and `/` becomes `~1` (in that order, so `~1` stays literal)."""
    return str(part).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *parts: str | int) -> str:
    """`pointer` with `parts` appended, each escaped."""
    return pointer + "".join("/" + escape(part) for part in parts)


def parts_of(pointer: str) -> list[str]:
    """The unescaped parts of a pointer; a URI fragment (`#/a/b`) is accepted and percent-decoded.

    The whole fragment is decoded before it is split, as RFC 6901 section 6 says and as `referencing` (which
    validated every stored spec's references) does: `%2F` is a separator, `~1` a slash inside a key.
    """
    if pointer.startswith("#"):
        pointer = unquote(pointer[1:])
    if not pointer:
        return []
    return [unescape(part) for part in pointer.split("/")[1:]]


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
