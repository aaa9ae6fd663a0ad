"""A short string matching a regular expression (a schema's `pattern`), built from Python's own parse of it.

Takes the first choice everywhere: the first alternative, the first character of a class, each repeat its
minimum (at least once when unbounded from one). Returns None for what this can't build (lookarounds,
backreferences); callers check the result with the pattern anyway.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_CATEGORY_CHARS = {
    sre.CATEGORY_DIGIT: "0",
    sre.CATEGORY_NOT_DIGIT: "a",
    sre.CATEGORY_WORD: "a",
    sre.CATEGORY_NOT_WORD: "-",
    sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "a",
}


class _Unbuildable(Exception):
    pass


def _class_char(items: list[tuple[Any, Any]]) -> str:
    if items and items[0][0] == sre.NEGATE:
        excluded = {value for op, value in items[1:] if op == sre.LITERAL}
        return next(char for char in "aA0-_x" if ord(char) not in excluded)
    for op, value in items:
        if op == sre.LITERAL:
            return chr(value)
        if op == sre.RANGE:
            return chr(value[0])
        if op == sre.CATEGORY and value in _CATEGORY_CHARS:
            return _CATEGORY_CHARS[value]
    raise _Unbuildable


def _build(parsed: Any) -> str:
    out: list[str] = []
    for op, value in parsed:
        if op == sre.LITERAL:
            out.append(chr(value))
        elif op == sre.NOT_LITERAL:
            out.append("a" if value != ord("a") else "b")
        elif op == sre.ANY:
            out.append("a")
        elif op == sre.IN:
            out.append(_class_char(value))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
            low, _, sub = value
            out.append(_build(sub) * low)
        elif op == sre.SUBPATTERN:
            out.append(_build(value[-1]))
        elif op == sre.ATOMIC_GROUP:
            out.append(_build(value))
        elif op == sre.BRANCH:
            out.append(_build(value[1][0]))
        elif op == sre.AT:
            continue
        else:
            raise _Unbuildable
    return "".join(out)


def matching_string(pattern: str) -> str | None:
    try:
        candidate = _build(sre_parse.parse(pattern))
        return candidate if re.search(pattern, candidate) else None
    except (_Unbuildable, re.error, RecursionError, StopIteration):
        return None
