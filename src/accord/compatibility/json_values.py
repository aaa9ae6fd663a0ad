"""JSON values as JSON Schema sees them, as fast predicates: types, equality, numbers, patterns.

Each mirrors what jsonschema does (the fast validator must agree with it): `true` is a boolean and not the
integer 1, 1.0 is an integer, a `pattern` is searched for (not matched whole).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import Any

Check = Callable[[Any], bool]


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


TYPE_TESTS: dict[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": _is_number,
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
}


def json_equal(one: Any, two: Any) -> bool:
    """Equality as JSON means it (and jsonschema's `enum`/`const` check it): true is not 1, 1 is 1.0."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return len(one) == len(two) and all(key in two and json_equal(value, two[key]) for key, value in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one == two
    return bool(one == two)


def multiple_of(value: int | float, divisor: int | float) -> bool:
    """jsonschema's multipleOf, float quirks included."""
    if isinstance(divisor, float):
        quotient = value / divisor
        try:
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(divisor)).denominator == 1
    return not value % divisor


def safe_pattern(pattern: Any) -> re.Pattern[str] | None:
    """A compiled `pattern`; None for one Python can't compile (ECMA-262 syntax like `\\p{L}`): no constraint."""
    try:
        return re.compile(pattern) if isinstance(pattern, str) else None
    except re.error:
        return None


JSON_CLASSES = frozenset({dict, list, str, int, float, bool, type(None)})
_PYTHON_CLASSES = {"string": (str,), "object": (dict,), "array": (list,), "boolean": (bool,), "null": (type(None),)}


def combine(checks: list[Check]) -> Check | None:
    """One check that passes when all do; None when there are none."""
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]

    def all_pass(value: Any) -> bool:
        for each in checks:  # noqa: SIM110 - a plain loop: all() would build a generator per call
            if not each(value):
                return False
        return True

    return all_pass


def type_predicate(names: list[str]) -> Check | None:
    """`type` as one test: by exact class for JSON values, by TYPE_TESTS for anything else."""
    if not names:
        return None
    exact = {cls for name in names for cls in _PYTHON_CLASSES.get(name, ())}
    if "number" in names:
        exact |= {int, float}
    integers = "integer" in names and "number" not in names
    if integers:
        exact.add(int)
    tests = [TYPE_TESTS[name] for name in names]

    def test(value: Any) -> bool:
        cls = value.__class__
        if cls in exact:
            return True
        if integers and cls is float:
            return bool(value.is_integer())
        if cls in JSON_CLASSES:
            return False
        return any(each(value) for each in tests)

    return test


def by_isinstance(by_class: dict[type, Check], value: Any) -> bool:
    if isinstance(value, bool):
        return True
    for cls, check in by_class.items():
        if isinstance(value, cls):
            return check(value)
    return True


def always(value: Any) -> bool:
    return True


def never(value: Any) -> bool:
    return False
