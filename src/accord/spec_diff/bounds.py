"""How the bounds of a request value changed (lengths, ranges, patterns, steps): a stricter bound refuses values
that passed before. Pure functions.

Responses are not checked: consumers rarely validate bounds of what they receive, and reporting every
relaxed maxLength of a response as breaking would bury the changes that do break them.
"""

from __future__ import annotations

from collections.abc import Iterator

from accord.spec_diff.shapes import LOWER_BOUNDS, UPPER_BOUNDS, Bound, Shape

TIGHTENED, RELAXED = "request-constraint-tightened", "request-constraint-relaxed"


def bound_changes(a: Shape, b: Shape) -> Iterator[tuple[str, str, str]]:
    """(kind, keyword, what changed) for each bound keyword that differs from `a` to `b`."""
    for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS):
        was, now = a.lower.get(keyword) or a.upper.get(keyword), b.lower.get(keyword) or b.upper.get(keyword)
        if was != now:
            kind = TIGHTENED if _stricter(was, now, lower=keyword in LOWER_BOUNDS) else RELAXED
            yield kind, keyword, f"{keyword} {_bound(was)} -> {_bound(now)}"
    if a.pattern != b.pattern:
        # Two regular expressions can't be compared in general: any new pattern may refuse old values.
        yield TIGHTENED if b.pattern is not None else RELAXED, "pattern", f"pattern {a.pattern!r} -> {b.pattern!r}"
    if a.multiple_of != b.multiple_of:
        # Every multiple of the old step is a multiple of the new one only if the new one divides it.
        relaxed = b.multiple_of is None or (a.multiple_of is not None and a.multiple_of % b.multiple_of == 0)
        yield RELAXED if relaxed else TIGHTENED, "multipleOf", f"multipleOf {a.multiple_of} -> {b.multiple_of}"
    if a.unique_items != b.unique_items:
        yield TIGHTENED if b.unique_items else RELAXED, "uniqueItems", f"uniqueItems is now {b.unique_items}"


def _stricter(was: Bound | None, now: Bound | None, *, lower: bool) -> bool:
    if now is None:
        return False
    if was is None:
        return True
    if now.value != was.value:
        return now.value > was.value if lower else now.value < was.value
    return now.exclusive and not was.exclusive


def _bound(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    number = int(bound.value) if bound.value.is_integer() else bound.value
    return f"{number} (exclusive)" if bound.exclusive else str(number)
