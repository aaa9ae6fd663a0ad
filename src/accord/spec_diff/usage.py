"""Which breaking changes a consumer's recorded exchanges actually run into. Pure functions.

An exchange is mapped to its operation of the *old* spec, the way the provider routed it (OperationIndex);
a change then concerns the exchange when the exchange uses what the change touches (see `Use` in changes.py):
a removed response field only matters to a consumer whose recorded responses contain it, a removed request
enum value only to one that sends it, a tightened request constraint only to one that sends a value it refuses,
a new required field only to one whose objects lack it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import unquote

from accord.openapi.operation_model import Operation
from accord.openapi.operations import media_type_key
from accord.spec_diff.changes import KINDS, Change, Target
from accord.spec_diff.constraint_values import Constraint, body_value_breaks, parameter_value_breaks
from accord.spec_diff.exchanges import OPAQUE, Exchange
from accord.spec_diff.shapes import enum_key
from accord.spec_diff.views import OperationKey, SpecView, operation_key
from accord.specs.operations import OperationIndex

_TEMPLATE = re.compile(r"\{([^{}/]*)\}")


class UsageMatcher:
    """Matches exchanges against the breaking changes of one diff; build once, use for every consumer."""

    def __init__(self, changes: Sequence[Change], old: SpecView, index: OperationIndex) -> None:
        self.index = index
        self.operations = old.by_name()
        self.by_operation: dict[OperationKey | None, list[tuple[int, Change]]] = defaultdict(list)
        for position, item in enumerate(changes):
            if item.breaking and KINDS[item.kind].use != "none":
                self.by_operation[item.target.operation].append((position, item))

    @property
    def active(self) -> bool:
        """Whether any breaking change could concern a consumer at all (else contracts needn't be read)."""
        return bool(self.by_operation)

    def hits(self, exchanges: Iterable[Exchange]) -> dict[int, set[str]]:
        """{position of a change in the diff: keys of the exchanges it concerns}."""
        found: dict[int, set[str]] = defaultdict(set)
        for exchange in exchanges:
            name = self.index.resolve(exchange.method, exchange.path)
            operation = self.operations.get(name) if name is not None else None
            if operation is None:  # the old spec doesn't serve it: no change of the spec can break it
                continue
            concerning = (*self.by_operation.get(operation_key(operation), ()), *self.by_operation.get(None, ()))
            for position, item in concerning:
                if touches(item, exchange, operation):
                    found[position].add(exchange.key)
        return found


def touches(item: Change, exchange: Exchange, operation: Operation) -> bool:
    use, target = KINDS[item.kind].use, item.target
    if use == "calls":
        return True
    if target.area == "parameter":
        return _touches_parameter(use, target, exchange, operation)
    if target.area == "request-body":
        return _touches_request_body(use, target, exchange.body, exchange.headers)
    if target.area in ("response-body", "response-header"):
        if exchange.status is None or status_key(operation, exchange.status) != target.status:
            return False
        if use == "receives-status":
            return True
        if target.area == "response-header":
            return target.name in exchange.response_headers
        body = exchange.response_body
        if use == "receives-media-type":
            return body is not None and _media_type(exchange.response_headers) in target.values
        return use == "receives" and body is not None and bool(values_at(body, target.field))
    return False


def _touches_parameter(use: str, target: Target, exchange: Exchange, operation: Operation) -> bool:
    sent = parameter_values(target, exchange, operation)
    if use == "omits":
        return sent is None
    if use == "sends":
        return sent is not None
    if use == "sends-value" and sent is not None:
        removed = {value if isinstance(value, str) else enum_key(value) for value in target.values}
        return any(value in removed for value in sent)
    if use == "sends-refused-value" and sent is not None:
        return any(parameter_value_breaks(_constraint(target), value) for value in sent)
    return False


def _constraint(target: Target) -> Constraint:
    return target.values[0] if target.values else ()


def _touches_request_body(use: str, target: Target, body: Any, headers: dict[str, str]) -> bool:
    if use == "omits" and not target.field:
        return body is None
    if body is None:
        return False
    if use == "sends-media-type":
        return _media_type(headers) in target.values
    if use == "omits":
        name = target.field[-1]
        return any(isinstance(parent, dict) and name not in parent for parent in values_at(body, target.field[:-1]))
    if use == "sends":
        return bool(values_at(body, target.field))
    if use == "sends-value":
        removed = {enum_key(value) for value in target.values}
        return any(enum_key(value) in removed for value in values_at(body, target.field))
    if use == "sends-refused-value":
        return any(body_value_breaks(_constraint(target), value) for value in values_at(body, target.field))
    if use == "sends-unknown-field":
        declared = set(target.values)
        return any(isinstance(found, dict) and set(found) - declared for found in values_at(body, target.field))
    return False


def values_at(value: Any, field: Sequence[str]) -> list[Any]:
    """The values at a field path of a JSON value: `[]` goes into every array item, `*` into every member."""
    if value is OPAQUE:
        return [value] if not field else []
    current = [value]
    for part in field:
        following: list[Any] = []
        for item in current:
            if part == "[]" and isinstance(item, list):
                following.extend(item)
            elif part == "*" and isinstance(item, dict):
                following.extend(item.values())
            elif isinstance(item, dict) and part in item:
                following.append(item[part])
        current = following
    return current


def status_key(operation: Operation, status: int) -> str | None:
    """The response of the operation that describes a status: exact code, then its range, then default."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in operation.responses:
            return key
    return None


def parameter_values(target: Target, exchange: Exchange, operation: Operation) -> list[str] | None:
    """The values the exchange sends for a parameter, None if it doesn't send it."""
    name = target.name or ""
    if target.location == "query":
        return exchange.query.get(name)
    if target.location == "header":
        value = exchange.headers.get(name)
        return None if value is None else [value]
    if target.location == "cookie":
        cookies = dict(
            part.strip().split("=", 1) for part in exchange.headers.get("cookie", "").split(";") if "=" in part
        )
        return [cookies[name]] if name in cookies else None
    if target.location == "path" and name.isdigit():
        value = _path_value(operation.template, exchange.path, int(name))
        return None if value is None else [value]
    return None


def _path_value(template: str, path: str, position: int) -> str | None:
    """The value of the template's n-th parameter in a request path (its base path prefix skipped)."""
    wanted = [s for s in template.split("/") if s]
    given = [s for s in path.split("?", 1)[0].split("#", 1)[0].split("/") if s]
    offset = len(given) - len(wanted)
    if offset < 0:
        return None
    seen = 0
    for index, segment in enumerate(wanted):
        names = _TEMPLATE.findall(segment)
        if seen + len(names) <= position:
            seen += len(names)
            continue
        literals = _TEMPLATE.split(segment)[::2]
        pattern = "(.+?)".join(re.escape(literal) for literal in literals)
        match = re.fullmatch(pattern, unquote(given[offset + index]))
        return match.group(position - seen + 1) if match else None
    return None


def _media_type(headers: dict[str, str]) -> str:
    # Recorded JSON bodies often come without the header; JSON is what they are.
    return media_type_key(headers.get("content-type") or "application/json")
