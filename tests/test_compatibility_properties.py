"""Property tests of the static contract checker: values generated from the corpus specs' schemas pass, and a
single mutation of one (a field of the wrong type, a field the spec doesn't promise, a required field left out)
fails with the pointer of exactly that field. The fast validator and jsonschema must agree on every value.

The strategy below is written from the schemas (converted, as the checker sees them): objects with their
required properties and some optional ones, enums, strings with formats or patterns, bounded numbers, arrays,
nullable values, `oneOf` (by the discriminator's mapping where there is one) and discriminated subtypes.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.compatibility.checker import check_contract
from accord.compatibility.json_schema import NULLABLE
from accord.compatibility.spec_model import CompiledSpec, compile_spec
from accord.openapi.references import lookup as deref
from accord.specs.documents import parse_document

SPECS = Path(__file__).parent / "corpus" / "compatibility" / "specs"
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("ACCORD_PROPERTY_EXAMPLES", "40")),  # raise it to search harder
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
Path_ = tuple[str | int, ...]
WRONG_VALUES: list[Any] = ["mutated", 123456, 1.5, True, None, [], {}]


def load(name: str) -> CompiledSpec:
    path = SPECS / name
    parsed = parse_document(path.read_bytes(), "yaml" if path.suffix == ".yaml" else "json")
    return compile_spec(parsed.document, parsed.content_sha)


class Target:
    """An operation of a corpus spec and the body of it to generate: a response's, or the request's."""

    def __init__(self, spec_name: str, method: str, path: str, template: str, *, status: int | None = None) -> None:
        self.spec_name, self.method, self.path, self.template, self.status = spec_name, method, path, template, status

    @property
    def spec(self) -> CompiledSpec:
        return load(self.spec_name)

    @property
    def where(self) -> str:
        return "request" if self.status is None else "response"

    def schema(self) -> Any:
        operation = self.spec.operation(self.method, self.template)
        assert operation is not None
        if self.status is None:
            assert operation.request_body is not None
            return next(iter(operation.request_body.media.values())).schema
        response = operation.responses[str(self.status)]
        assert response.body is not None
        return next(iter(response.body.media.values())).schema

    def interaction(self, body: Any) -> dict[str, Any]:
        headers = {"content-type": "application/json"}
        if self.spec_name == "orders-3.0.yaml" and self.method == "post":
            headers["x-request-id"] = "3e1f2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b"
        if self.spec_name == "petstore-2.0.json" and self.method == "post":
            headers["api_key"] = "key"
        request: dict[str, Any] = {"method": self.method.upper(), "path": self.path, "query": {}, "headers": headers}
        response: dict[str, Any] = {
            "status": self.status or _success(self),
            "headers": {"content-type": "application/json"},
        }
        if self.status is None:
            request["body"] = body
        else:
            response["body"] = body
        return {"key": "generated", "operation": None, "request": request, "response": response}

    def __repr__(self) -> str:
        return f"{self.method.upper()} {self.template} {self.where}"


def _success(target: Target) -> int:
    operation = target.spec.operation(target.method, target.template)
    assert operation is not None
    return next(int(key) for key in operation.responses if key.isdigit() and key.startswith("2"))


RESPONSES = [
    Target(
        "orders-3.0.yaml", "get", "/v2/orders/7d9e2c1a-3b4f-4a5e-8c6d-9e0f1a2b3c4d", "/orders/{orderId}", status=200
    ),
    Target("orders-3.0.yaml", "get", "/v2/orders", "/orders", status=200),
    Target(
        "orders-3.0.yaml",
        "get",
        "/v2/orders/7d9e2c1a-3b4f-4a5e-8c6d-9e0f1a2b3c4d/shipments",
        "/orders/{orderId}/shipments",
        status=200,
    ),
    Target("library-3.1.yaml", "get", "/api/books/9780547773742", "/books/{isbn}", status=200),
    Target("library-3.1.yaml", "get", "/api/books", "/books", status=200),
    Target("petstore-2.0.json", "get", "/api/v2/pets", "/pets", status=200),
    Target("petstore-2.0.json", "get", "/api/v2/store/orders/5", "/store/orders/{orderId}", status=200),
]
REQUESTS = [
    Target("orders-3.0.yaml", "post", "/v2/orders", "/orders"),
    Target("orders-3.0.yaml", "put", "/v2/customers/42", "/customers/{customerId}"),
    Target("library-3.1.yaml", "post", "/api/books", "/books"),
    Target("library-3.1.yaml", "post", "/api/loans", "/loans"),
    Target("petstore-2.0.json", "post", "/api/v2/pets", "/pets"),
]


class Generator:
    """Hypothesis strategies for the instances of a converted document's schemas, in one direction."""

    def __init__(self, spec: CompiledSpec, where: str) -> None:
        self.document = spec.converted
        self.where = where
        self.prefix = "#/definitions/" if spec.dialect == "2.0" else "#/components/schemas/"
        schemas = self.document.get("definitions") if spec.dialect == "2.0" else self.document["components"]["schemas"]
        self.schemas: dict[str, Any] = schemas or {}

    def value(self, schema: Any, depth: int = 0, force: dict[str, Any] | None = None) -> st.SearchStrategy[Any]:
        if not isinstance(schema, dict) or depth > 30:
            return st.just({}) if schema is not False else st.nothing()
        base = self._non_null(schema, depth, force or {})
        if schema.get(NULLABLE) is True and not force:
            return st.one_of(st.none(), base)
        return base

    def _non_null(self, schema: dict[str, Any], depth: int, force: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            return self._named(name, deref(self.document, schema["$ref"]), depth, force)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        alternatives = schema.get("oneOf") or schema.get("anyOf")
        if alternatives:
            mapping = (schema.get("discriminator") or {}).get("mapping")
            if mapping:
                name = schema["discriminator"]["propertyName"]
                return st.sampled_from(sorted(mapping.items())).flatmap(
                    lambda chosen: self.value({"$ref": chosen[1]}, depth + 1, {name: chosen[0]})
                )
            return st.one_of([self.value(each, depth + 1, force) for each in alternatives])
        if "allOf" in schema:
            parts = [self.value(member, depth + 1, force) for member in schema["allOf"]]
            own = {key: value for key, value in schema.items() if key != "allOf"}
            if own.get("properties"):
                parts.append(self._object(own, depth, force))
            return st.tuples(*parts).map(_merged)
        types = schema.get("type")
        if isinstance(types, list):
            return st.one_of([self._non_null({**schema, "type": each}, depth, force) for each in types])
        if types == "object" or "properties" in schema:
            return self._object(schema, depth, force)
        if types == "array":
            least = schema.get("minItems", 0)
            most = max(least, min(schema.get("maxItems", 3), 3))
            return st.lists(self.value(schema.get("items", {}), depth + 1), min_size=least, max_size=most)
        if types == "string":
            return _string(schema)
        if types == "integer":
            return _integer(schema)
        if types == "number":
            return st.one_of(_integer(schema), _number(schema))
        if types == "boolean":
            return st.booleans()
        if types == "null":
            return st.none()
        return st.just({})

    def _named(self, name: str, schema: Any, depth: int, force: dict[str, Any]) -> st.SearchStrategy[Any]:
        """A component: a discriminated base is any of its subtypes, named by its discriminator property."""
        property_name = _base_discriminator(self.document, schema)
        if property_name is None or property_name in force:
            return self.value(schema, depth + 1, force)
        subtypes = [name, *(child for child, each in self.schemas.items() if _extends(each, self.prefix + name))]
        return st.sampled_from(subtypes).flatmap(
            lambda chosen: self.value(self.schemas[chosen], depth + 1, {**force, property_name: chosen})
        )

    def _object(self, schema: dict[str, Any], depth: int, force: dict[str, Any]) -> st.SearchStrategy[Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ()) if isinstance(schema.get("required"), list) else set()
        hidden = set(_access(self.document, properties, "readOnly" if self.where == "request" else "writeOnly"))
        fields: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for name, sub in properties.items():
            if name in hidden:
                continue
            strategy = st.just(force[name]) if name in force else self.value(sub, depth + 1)
            (fields if name in required or name in force else optional)[name] = strategy
        return st.fixed_dictionaries(fields, optional=optional)


def _merged(parts: tuple[Any, ...]) -> Any:
    merged: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, dict):
            merged.update(part)
    return merged


def _closure(document: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    """A schema with what `$ref` and `allOf` pull in place."""
    found: list[dict[str, Any]] = []
    stack = [schema]
    while stack:
        each = stack.pop()
        if not isinstance(each, dict) or any(each is seen for seen in found):
            continue
        found.append(each)
        if isinstance(each.get("$ref"), str):
            stack.append(deref(document, each["$ref"]))
        stack.extend(each.get("allOf") or ())
    return found


def _base_discriminator(document: dict[str, Any], schema: Any) -> str | None:
    for each in _closure(document, schema):
        discriminator = each.get("discriminator")
        if isinstance(discriminator, dict) and "oneOf" not in each and "anyOf" not in each:
            return str(discriminator["propertyName"])
    return None


def _extends(schema: Any, ref: str) -> bool:
    return isinstance(schema, dict) and any(member.get("$ref") == ref for member in schema.get("allOf") or ())


def _access(document: dict[str, Any], properties: dict[str, Any], flag: str) -> list[str]:
    return [name for name, sub in properties.items() if any(each.get(flag) for each in _closure(document, sub))]


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    formats: dict[str, st.SearchStrategy[str]] = {
        "date-time": st.datetimes(timezones=st.just(datetime.UTC)).map(lambda moment: moment.isoformat()),
        "date": st.dates().map(lambda day: day.isoformat()),
        "uuid": st.uuids().map(str),
        "email": st.emails(),
        "uri-reference": st.just("/orders/1"),
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    alphabet = st.characters(codec="utf-8", exclude_categories=["Cs"])
    least = schema.get("minLength", 0)
    return st.text(alphabet, min_size=least, max_size=max(least, schema.get("maxLength", 12)))


def _integer(schema: dict[str, Any]) -> st.SearchStrategy[int]:
    low, high = schema.get("minimum"), schema.get("maximum")
    if "exclusiveMinimum" in schema:
        low = int(schema["exclusiveMinimum"]) + 1
    if "exclusiveMaximum" in schema:
        high = int(schema["exclusiveMaximum"]) - 1
    bits = {"int32": 31, "int64": 63}.get(schema.get("format", ""))
    if bits is not None:
        low = max(low if low is not None else -(2**bits), -(2**bits))
        high = min(high if high is not None else 2**bits - 1, 2**bits - 1)
    return st.integers(min_value=low, max_value=high)


def _number(schema: dict[str, Any]) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=schema.get("minimum", schema.get("exclusiveMinimum")),
        max_value=schema.get("maximum", schema.get("exclusiveMaximum")),
        exclude_min="exclusiveMinimum" in schema,
        exclude_max="exclusiveMaximum" in schema,
        allow_nan=False,
        allow_infinity=False,
    )


class Field:
    """A property of an object in a generated value, and what its schema says about it."""

    def __init__(
        self, path: Path_, types: set[str], required: bool, *, owner_closed: bool, owner_forbids: bool
    ) -> None:
        self.path, self.types, self.required = path, types, required
        self.owner_closed = owner_closed  # the object's schema declares properties, additionalProperties unsaid
        self.owner_forbids = owner_forbids  # additionalProperties: false


def fields_of(spec: CompiledSpec, schema: Any, value: Any, path: Path_ = ()) -> list[Field]:
    """The plainly typed properties of the objects in a value (not inside alternatives, whose branch a mutation
    could change), following discriminated subtypes the way the checker does."""
    document = spec.converted
    closure = _closure(document, schema)
    if any("oneOf" in each or "anyOf" in each for each in closure):
        return []
    found: list[Field] = []
    if isinstance(value, list):
        items = next((each["items"] for each in closure if isinstance(each.get("items"), dict)), None)
        for index, item in enumerate(value):
            found.extend(fields_of(spec, items, item, (*path, index)))
        return found
    if not isinstance(value, dict):
        return found
    discriminator = _base_discriminator(document, schema)
    if discriminator is not None and isinstance(value.get(discriminator), str):
        subtype = spec.discriminators.subtype(next(each for each in closure if "discriminator" in each), value)
        if subtype is not None:
            closure = _closure(document, subtype)
    properties: dict[str, Any] = {}
    required: set[str] = set()
    for each in closure:
        properties.update(each.get("properties") or {})
        if isinstance(each.get("required"), list):
            required |= set(each["required"]) - set(each.get("x-accord-readOnly") or ())
    closed = bool(properties) and not any("additionalProperties" in each for each in closure)
    forbids = any(each.get("additionalProperties") is False for each in closure)
    for name, item in value.items():
        sub = properties.get(name)
        if sub is None or name == discriminator:
            continue
        types = set()
        for each in _closure(document, sub):
            declared = each.get("type")
            types |= set(declared if isinstance(declared, list) else [declared] if declared else [])
            if each.get(NULLABLE) is True:
                types.add("null")
        found.append(Field((*path, name), types, name in required, owner_closed=closed, owner_forbids=forbids))
        found.extend(fields_of(spec, sub, item, (*path, name)))
    return found


def _object_paths(spec: CompiledSpec, schema: Any, value: Any, where: str) -> list[Path_]:
    """Where in a value an object sits that may hold no other fields than its schema declares: in responses, one
    whose schema declares properties (and allows no others); in requests, only `additionalProperties: false`."""
    fields = fields_of(spec, schema, value)
    owners = {
        field.path[:-1] for field in fields if field.owner_forbids or (where == "response" and field.owner_closed)
    }
    return sorted(owners, key=str)


def _is_of(value: Any, types: set[str]) -> bool:
    kinds = {
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
        "null": value is None,
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
    }
    return any(kinds[name] for name in types if name in kinds)


def _pointer(where: str, path: Path_) -> str:
    return f"/{where}/body" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _replaced(value: Any, path: Path_, new: Any) -> Any:
    copy = json.loads(json.dumps(value))
    target = copy
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = new
    return copy


def _removed(value: Any, path: Path_) -> Any:
    copy = json.loads(json.dumps(value))
    target = copy
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]
    return copy


def _check(target: Target, body: Any) -> Any:
    return check_contract(target.spec, [target.interaction(body)], "interactions").results[0]


def _assert_engines_agree(target: Target, body: Any) -> None:
    engine = target.spec.engine("request" if target.where == "request" else "response")
    schema = target.schema()
    assert engine.is_valid(schema, body) == (not engine.errors(schema, body))


ALL_TARGETS = RESPONSES + REQUESTS


@pytest.mark.parametrize("target", ALL_TARGETS, ids=repr)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_generated_bodies_pass(target: Target, data: st.DataObject) -> None:
    body = data.draw(Generator(target.spec, target.where).value(target.schema()))
    result = _check(target, body)
    assert result.mismatches == []
    assert result.status == "passed"
    _assert_engines_agree(target, body)


@pytest.mark.parametrize("target", ALL_TARGETS, ids=repr)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_field_of_the_wrong_type_fails_at_its_pointer(target: Target, data: st.DataObject) -> None:
    body = data.draw(Generator(target.spec, target.where).value(target.schema()))
    fields = [field for field in fields_of(target.spec, target.schema(), body) if field.types]
    if not fields:
        return
    field = data.draw(st.sampled_from(fields))
    wrong = data.draw(st.sampled_from([each for each in WRONG_VALUES if not _is_of(each, field.types)]))
    mutated = _replaced(body, field.path, wrong)
    result = _check(target, mutated)
    assert result.status == "failed"
    pointer = _pointer(target.where, field.path)
    assert pointer in [mismatch.pointer for mismatch in result.mismatches]
    _assert_engines_agree(target, mutated)


@pytest.mark.parametrize("target", ALL_TARGETS, ids=repr)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_field_the_spec_does_not_promise_fails_at_its_pointer(target: Target, data: st.DataObject) -> None:
    body = data.draw(Generator(target.spec, target.where).value(target.schema()))
    owners = _object_paths(target.spec, target.schema(), body, target.where)
    if not owners:
        return
    owner = data.draw(st.sampled_from(owners))
    path = (*owner, "undeclaredByTheSpec")
    mutated = _replaced(body, path, data.draw(st.sampled_from(WRONG_VALUES)))
    result = _check(target, mutated)
    assert result.status == "failed"
    expected = [each for each in result.mismatches if each.pointer == _pointer(target.where, path)]
    assert [each.message.split(" is in the contract", 1)[1] for each in expected] == [" but not in the spec"]
    _assert_engines_agree(target, mutated)


@pytest.mark.parametrize("target", REQUESTS, ids=repr)
@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_missing_required_request_field_fails_at_its_pointer(target: Target, data: st.DataObject) -> None:
    body = data.draw(Generator(target.spec, target.where).value(target.schema()))
    required = [field for field in fields_of(target.spec, target.schema(), body) if field.required]
    if not required:
        return
    field = data.draw(st.sampled_from(required))
    mutated = _removed(body, field.path)
    result = _check(target, mutated)
    assert result.status == "failed"
    messages = {each.pointer: each.message for each in result.mismatches}
    assert messages[_pointer("request", field.path)].endswith(" is missing in the contract but required in the spec")
    _assert_engines_agree(target, mutated)
