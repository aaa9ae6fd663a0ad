"""The `format`s a contract's values are checked against: JSON Schema 2020-12's plus OpenAPI's own."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _integer_within(name: str) -> Any:
    low, high = _INT_RANGES[name]

    def check(instance: object) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, int | float):
            return True
        return low <= instance <= high

    return check


def _is_byte(instance: object) -> bool:
    return not isinstance(instance, str) or _BASE64.fullmatch(instance) is not None


def build_format_checker() -> Any:
    """A FormatChecker of its own: adding OpenAPI's formats must not change jsonschema's shared checkers."""
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    for name in _INT_RANGES:
        checker.checks(name)(_integer_within(name))
    checker.checks("byte")(_is_byte)
    # float, double, binary and password say how a value is stored or shown, not what is valid.
    return checker


FORMAT_CHECKER = build_format_checker()
