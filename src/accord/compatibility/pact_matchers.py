"""Pact matching rules, and what they change about checking a pact's example bodies against a spec.

A pact's response body is an example: with no matcher the consumer expects exactly that value, so it must be one
the spec allows (type, format, enum, bounds). A matcher widens it: `type` accepts any value of the example's
type, `regex` any string that matches, `integer` any integer... Then the spec's value constraints no longer
concern the example, only whether the kinds agree: a `regex` on a field the spec says is an integer, an
`integer` matcher on a string, a `decimal` on integers, a `date` on a `date-time`, an array the consumer expects
at least 3 items of where the spec promises at most 2. `type` matchers cascade to what the example nests.

Rules come in three spellings: v2 flat (`{"$.body.a": {"match": "type"}}`), v3/v4 by category
(`{"body": {"$.a": {"matchers": [{"match": "type"}], "combine": "AND"}}}`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Path = tuple[str | int, ...]
ANY_KEY = object()  # `.*`
ANY_INDEX = object()  # `[*]`
Token = str | int | object

VALUE_KEYWORDS = frozenset(
    {
        "enum",
        "const",
        "format",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "discriminator",
    }
)
_STRING_VALUES = frozenset({"enum", "const", "format", "pattern", "minLength", "maxLength", "discriminator"})
_NUMBER_VALUES = frozenset(
    {"enum", "const", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
# What each matcher makes the spec's keywords stop constraining at its path: which values the consumer accepts
# is the matcher's business. `values`/`eachKey` accept any key, so undeclared ones too.
RELAXED: dict[str, frozenset[str]] = {
    "type": VALUE_KEYWORDS,
    "notEmpty": VALUE_KEYWORDS,
    "arrayContains": VALUE_KEYWORDS,
    "values": VALUE_KEYWORDS | {"x-accord-closed", "additionalProperties"},
    "eachKey": VALUE_KEYWORDS | {"x-accord-closed", "additionalProperties"},
    "eachValue": VALUE_KEYWORDS | {"x-accord-closed", "additionalProperties"},
    "regex": _STRING_VALUES,
    "include": _STRING_VALUES,
    "date": _STRING_VALUES,
    "time": _STRING_VALUES,
    "datetime": _STRING_VALUES,
    "timestamp": _STRING_VALUES,
    "semver": _STRING_VALUES,
    "contentType": _STRING_VALUES,
    "integer": _NUMBER_VALUES,
    "decimal": _NUMBER_VALUES,
    "number": _NUMBER_VALUES,
    "boolean": frozenset({"enum", "const"}),
}
# Matchers that apply to what the matched value nests, unless a deeper rule says otherwise.
CASCADING = frozenset({"type", "values", "eachValue", "eachKey", "arrayContains", "notEmpty"})
_NAME = re.compile(r"\.([^.\[\]]+)|\['((?:[^'\\]|\\.)*)'\]|\[(\d+|\*)\]")


@dataclass(frozen=True, slots=True)
class Rule:
    expression: str  # as the pact writes it
    tokens: tuple[Token, ...]
    matchers: tuple[dict[str, Any], ...]
    combine: str  # AND or OR

    @property
    def kinds(self) -> list[str]:
        return [matcher_kind(each) for each in self.matchers]

    def relaxes(self, keyword: str) -> bool:
        relaxed = [keyword in RELAXED.get(kind, frozenset()) for kind in self.kinds]
        # AND: every matcher must let the keyword go; OR: one of them accepting the value is enough.
        return bool(relaxed) and (all(relaxed) if self.combine == "AND" else any(relaxed))

    def cascades(self) -> bool:
        return any(kind in CASCADING for kind in self.kinds)

    def first_kind(self) -> str:
        return self.kinds[0] if self.matchers else "equality"


def matcher_kind(matcher: dict[str, Any]) -> str:
    """`match` as written; v2 omitted it (`{"regex": ...}`, `{"min": 1}` for a type matcher)."""
    match = matcher.get("match")
    if isinstance(match, str):
        return match
    for key in ("regex", "timestamp", "date", "time"):
        if key in matcher:
            return key
    if "min" in matcher or "max" in matcher:
        return "type"
    return "equality"


class BodyRules:
    """The body rules of one side of an interaction, looked up by the path of a value in the example."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules

    def __bool__(self) -> bool:
        return bool(self.rules)

    def exact(self, path: Path) -> Rule | None:
        candidates = [rule for rule in self.rules if len(rule.tokens) == len(path) and _matches(rule.tokens, path)]
        return max(candidates, key=_weight) if candidates else None

    def governing(self, path: Path) -> Rule | None:
        """The rule for a value: its own, else the nearest enclosing one that cascades."""
        own = self.exact(path)
        if own is not None:
            return own
        for length in range(len(path) - 1, -1, -1):
            rule = self.exact(path[:length])
            if rule is not None:
                return rule if rule.cascades() else None
        return None

    def relaxes(self, path: Path, keyword: str) -> bool:
        rule = self.governing(path)
        return rule is not None and rule.relaxes(keyword)


def _matches(tokens: tuple[Token, ...], path: Path) -> bool:
    for token, part in zip(tokens, path, strict=True):
        if token is ANY_KEY:
            continue
        if token is ANY_INDEX:
            if not isinstance(part, int):
                return False
            continue
        if token != part:
            return False
    return True


def _weight(rule: Rule) -> int:
    # Literal steps are more specific than wildcards (Pact weighs them the same way).
    return sum(2 if token is not ANY_KEY and token is not ANY_INDEX else 1 for token in rule.tokens)


def parse_path(expression: str) -> tuple[Token, ...] | None:
    """`$.a.b[0]['c d'][*].*` as tokens; None for what Accord doesn't read (recursive descent `..`, filters)."""
    if not expression.startswith("$"):
        expression = "$." + expression
    rest = expression[1:]
    tokens: list[Token] = []
    position = 0
    while position < len(rest):
        found = _NAME.match(rest, position)
        if found is None:
            return None
        name, quoted, index = found.groups()
        if name is not None:
            tokens.append(ANY_KEY if name == "*" else name)
        elif quoted is not None:
            tokens.append(quoted.replace("\\'", "'"))
        else:
            tokens.append(ANY_INDEX if index == "*" else int(index))
        position = found.end()
    return tuple(tokens)


def body_rules(matching_rules: Any) -> BodyRules:
    """The body rules of one side's `matchingRules`, in any spelling."""
    rules: list[Rule] = []
    for expression, definition in _body_entries(matching_rules):
        tokens = parse_path(expression)
        matchers, combine = _matchers(definition)
        if tokens is not None and matchers:
            rules.append(Rule(expression, tokens, matchers, combine))
    return BodyRules(rules)


def status_rule(matching_rules: Any) -> dict[str, Any] | None:
    """A v4 `statusCode` matcher on the response status, if any."""
    if not isinstance(matching_rules, dict):
        return None
    matchers, _ = _matchers(matching_rules.get("status"))
    return next((each for each in matchers if matcher_kind(each) == "statusCode"), None)


def _body_entries(matching_rules: Any) -> Iterator[tuple[str, Any]]:
    if not isinstance(matching_rules, dict):
        return
    body = matching_rules.get("body")
    if isinstance(body, dict) and not (set(body) & {"match", "matchers", "regex", "min", "max"}):
        yield from ((str(key), value) for key, value in body.items())  # v3/v4
    for key, value in matching_rules.items():
        if isinstance(key, str) and (key == "$.body" or key.startswith(("$.body.", "$.body["))):
            yield "$" + key[len("$.body") :], value  # v2


def _matchers(definition: Any) -> tuple[tuple[dict[str, Any], ...], str]:
    if not isinstance(definition, dict):
        return (), "AND"
    listed = definition.get("matchers")
    combine = "OR" if str(definition.get("combine", "AND")).upper() == "OR" else "AND"
    if isinstance(listed, list):
        return tuple(each for each in listed if isinstance(each, dict)), combine
    return (definition,), "AND"  # v2: the definition is the matcher
