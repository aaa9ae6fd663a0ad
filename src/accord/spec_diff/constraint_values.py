"""Whether a recorded request value breaks a tightened constraint: a `limit` whose maximum went from 100 to 50
breaks the consumer that sent `limit=80`, not the one that sent `limit=10`. Pure functions.

The new constraint travels with the change as JSON Schema 2020-12 (exclusive bounds spelled out). When a value
can't be judged (a body Accord couldn't read, a parameter text that isn't a number, an array parameter whose
serialisation depends on its style, a pattern Python can't compile) the change is taken to concern it: saying
"affected" wrongly costs a look, saying "not affected" wrongly costs an outage.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from accord.spec_diff.exchanges import OPAQUE
from accord.spec_diff.shapes import LOWER_BOUNDS, UPPER_BOUNDS, Shape

Constraint = tuple[tuple[str, Any], ...]

_NUMERIC = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
_TEXT = frozenset({"minLength", "maxLength", "pattern"})


def constraint_of(shape: Shape, keyword: str) -> Constraint:
    """The new schema's constraint behind a tightened keyword; () when it has none to check values against."""
    if keyword in LOWER_BOUNDS or keyword in UPPER_BOUNDS:
        bound = shape.lower.get(keyword) or shape.upper.get(keyword)
        if bound is None:
            return ()
        name = keyword
        if bound.exclusive:
            name = "exclusiveMinimum" if keyword == "minimum" else "exclusiveMaximum"
        number: int | float = int(bound.value) if bound.value.is_integer() else bound.value
        return ((name, number),)
    if keyword == "pattern" and shape.pattern is not None:
        return (("pattern", shape.pattern),)
    if keyword == "multipleOf" and shape.multiple_of is not None:
        return (("multipleOf", shape.multiple_of),)
    if keyword == "uniqueItems" and shape.unique_items:
        return (("uniqueItems", True),)
    return ()


def body_value_breaks(constraint: Constraint, value: Any) -> bool:
    """Whether a request body value fails the constraint (JSON Schema: a keyword ignores other types)."""
    if not constraint or value is OPAQUE:
        return True
    return _fails(constraint, value)


def parameter_value_breaks(constraint: Constraint, text: str) -> bool:
    """Whether a parameter's text, read as the constraint's kind of value, fails it."""
    if not constraint:
        return True
    keywords = {name for name, _ in constraint}
    if keywords <= _TEXT:
        return _fails(constraint, text)
    if keywords <= _NUMERIC:
        try:
            number = float(text)
        except ValueError:
            return True
        return _fails(constraint, int(number) if number.is_integer() else number)
    return True  # item and property counts: how the values were split depends on the parameter's style


def _fails(constraint: Constraint, value: Any) -> bool:
    try:
        return not _validator(constraint).is_valid(value)
    except re.error:
        return True


@lru_cache(maxsize=1024)
def _validator(constraint: Constraint) -> Draft202012Validator:
    return Draft202012Validator(dict(constraint))
