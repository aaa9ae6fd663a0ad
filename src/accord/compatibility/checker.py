"""Checking a consumer contract against a provider's spec, statically: does each interaction call an operation the
spec has, the way the spec says, and rely only on what the spec promises back?

Per interaction: the path matches a template (under the servers' base paths) and the method exists; the
parameters the spec requires are there and valid; the request body is one the operation takes; the response
status is documented (exactly, by range like `2XX`, or `default`); the response body holds only what the spec
promises, with the types it promises. A pact's matchers widen what its examples stand for (pact_matchers.py).
"""

from __future__ import annotations

import re
from typing import Any

from jsonschema.exceptions import SchemaError, UnknownType
from referencing.exceptions import Unresolvable

from accord.compatibility.contract_interactions import HttpExchange, HttpMessage, NotCheckable, read_interactions
from accord.compatibility.matcher_compatibility import matcher_mismatches
from accord.compatibility.media import body_value, form_fields, select_media, spec_media_list
from accord.compatibility.messages import Location, either, leaf_findings, to_mismatches
from accord.compatibility.parameters import Unreadable, coerce, cookies, form_object
from accord.compatibility.schemas import CheckReport, ContractKind, InteractionResult, Mismatch, Side
from accord.compatibility.spec_model import CompiledSpec
from accord.openapi import json_pointers
from accord.openapi.operation_model import Operation, Parameter, Response
from accord.openapi.operations import media_type_key

# Header parameters OpenAPI says to ignore: content negotiation and security are described elsewhere.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_STATUS_CLASSES = {
    "information": range(100, 200),
    "success": range(200, 300),
    "redirect": range(300, 400),
    "clientError": range(400, 500),
    "serverError": range(500, 600),
    "nonError": range(100, 400),
    "error": range(400, 600),
}
# What a spec may hold that validation trips over although the spec validator let it through (a reference to
# nothing, an unknown type, a regex Python can't compile). Anything else is a bug, and must not pass for "not
# checkable": the caller sees it.
_UNUSABLE_SPEC = (Unresolvable, UnknownType, SchemaError, re.error, RecursionError)


def check_contract(spec: CompiledSpec, interactions: list[dict[str, Any]], kind: ContractKind) -> CheckReport:
    """The verdict of a spec on a contract: recorded interactions, or a pact's interactions (and messages)."""
    results: list[InteractionResult] = []
    for item in read_interactions(interactions, kind):
        if isinstance(item, NotCheckable):
            results.append(
                InteractionResult(interaction=item.key, index=item.index, status="not_checkable", reason=item.reason)
            )
            continue
        try:
            results.append(_ExchangeCheck(spec, item).run())
        except _UNUSABLE_SPEC as exc:
            reason = f"the spec can't be used to check it: {exc.__class__.__name__}: {str(exc)[:200]}"
            results.append(
                InteractionResult(interaction=item.key, index=item.index, status="not_checkable", reason=reason)
            )
    failed = sum(1 for result in results if result.status == "failed")
    passed = sum(1 for result in results if result.status == "passed")
    return CheckReport(
        compatible=failed == 0,
        passed=passed,
        failed=failed,
        not_checkable=len(results) - passed - failed,
        results=results,
    )


class _ExchangeCheck:
    """The checks of one HTTP interaction, collecting mismatches."""

    def __init__(self, spec: CompiledSpec, exchange: HttpExchange) -> None:
        self.spec = spec
        self.exchange = exchange
        self.mismatches: list[Mismatch] = []

    def run(self) -> InteractionResult:
        exchange = self.exchange
        route = self.spec.index.locate(exchange.method, exchange.path)
        method = exchange.method
        if route is not None and route.operation is None and method == "HEAD" and "get" in route.methods:
            method = "GET"  # HTTP answers HEAD wherever it answers GET, without the body
        operation = self.spec.operation(method, route.template) if route is not None else None
        if route is None:
            self._add(
                "request",
                "/request/path",
                "/paths",
                f"request path `{exchange.path}` is in the contract but not in the spec",
            )
        elif operation is None:
            methods = either([f"`{known.upper()}`" for known in route.methods])
            self._add(
                "request",
                "/request/method",
                json_pointers.join("/paths", route.template),
                f"request method `{exchange.method}` is in the contract but `{route.template}` has only {methods} "
                "in the spec",
            )
        else:
            self._parameters(operation, route.parameters)
            self._request_body(operation)
            self._response(operation)
        return InteractionResult(
            interaction=exchange.key,
            index=exchange.index,
            status="failed" if self.mismatches else "passed",
            operation=operation.name if operation is not None else None,
            mismatches=self.mismatches,
        )

    def _add(self, where: Side, pointer: str, spec_pointer: str, message: str) -> None:
        self.mismatches.append(
            Mismatch(
                interaction=self.exchange.key, where=where, pointer=pointer, spec_pointer=spec_pointer, message=message
            )
        )

    def _parameters(self, operation: Operation, path_values: dict[str, str]) -> None:
        request = self.exchange.request
        cookie_values = cookies(request.headers.get("cookie"))
        for parameter in operation.parameters:
            name, location = parameter.name, parameter.location
            if location == "path":
                values = [path_values[name]] if name in path_values else None
                pointer = "/request/path"
            elif location == "query":
                values = self.exchange.query.get(name)
                pointer = self.exchange.query_pointers.get(name, json_pointers.join("/request/query", name))
            elif location == "header":
                if name.lower() in _IGNORED_HEADERS:
                    continue
                value = request.headers.get(name.lower())
                values = [value] if value is not None else None
                # A missing header has no place; recorded interactions spell header names in lower case.
                pointer = request.header_pointers.get(
                    name.lower(), json_pointers.join("/request/headers", name.lower())
                )
            elif location == "cookie":
                values = [cookie_values[name]] if name in cookie_values else None
                pointer = request.header_pointers.get("cookie", "/request/headers/cookie")
            else:
                continue  # formData: with the body
            label = "request header" if location == "header" else f"{location} parameter"
            # `?status=a&status=b` gives each item a place in the contract; `a,b` in one value doesn't.
            itemized = location == "query" and values is not None and len(values) > 1 and pointer.endswith(name)
            self._parameter(
                "request",
                parameter,
                values,
                Location("request", pointer, label, name, quote_values=True, path_in_pointer=itemized),
            )

    def _parameter(self, where: Side, parameter: Parameter, values: list[str] | None, location: Location) -> None:
        if not values:
            if parameter.required:
                self._add(
                    where,
                    location.pointer,
                    parameter.pointer,
                    f"{location.label} `{location.name}` is missing in the contract but required in the spec",
                )
            return
        try:
            value = coerce(
                self.spec.converted,
                parameter.schema,
                values,
                location=parameter.location,
                style=parameter.style,
                explode=parameter.explode,
                collection_format=parameter.collection_format,
                json_content=parameter.json_content,
            )
        except Unreadable:
            return
        self._validate(where, parameter.schema, value, location)

    def _validate(
        self, where: Side, schema: Any, value: Any, location: Location, message: HttpMessage | None = None
    ) -> None:
        engine = self.spec.engine("request" if where == "request" else "response")
        rules = message.rules if message is not None else None
        reported: list[Mismatch] = []
        if not engine.is_valid(schema, value):
            relaxed = rules if rules and where == "response" else None
            findings = leaf_findings(
                engine.errors(schema, value),
                (lambda path, error: not relaxed.relaxes(path, error.validator)) if relaxed is not None else None,
            )

            def matcher_of(path: tuple[str | int, ...]) -> str | None:
                rule = rules.exact(path) if rules else None
                kind = rule.first_kind() if rule is not None else None
                return kind if kind not in (None, "type", "equality") else None

            reported = to_mismatches(findings, location, self.exchange.key, self.spec, matcher_of)
        self.mismatches.extend(reported)
        if rules:
            seen = {mismatch.pointer for mismatch in reported}
            self.mismatches.extend(
                matcher_mismatches(self.spec, schema, value, rules, location, self.exchange.key, seen)
            )

    def _request_body(self, operation: Operation) -> None:
        request = self.exchange.request
        body = operation.request_body
        form = [parameter for parameter in operation.parameters if parameter.location == "formData"]
        # Multipart bodies aren't read (see media.py): their fields can't be told apart from the text.
        if form and not media_type_key(request.content_type).startswith("multipart/"):
            self._form_parameters(form, request)
        if not request.has_body:
            if body is not None and body.required:
                self._add(
                    "request",
                    request.body_pointer,
                    body.pointer,
                    "request body is missing in the contract but required in the spec",
                )
            return
        if body is None:
            if not form:
                self._add(
                    "request",
                    request.body_pointer,
                    operation.pointer,
                    "request body is in the contract but not in the spec",
                )
            return
        self._body(request, body.media, body.media_pointer, "accepts")

    def _form_parameters(self, form: list[Parameter], request: HttpMessage) -> None:
        """Swagger 2.0 `in: formData` parameters: the fields of a url-encoded (or multipart) body."""
        fields = form_fields(request.body) if request.has_body else {}
        for parameter in form:
            # `a=1&b=2` is one string: its fields have no pointer of their own.
            fielded = isinstance(request.body, dict)
            pointer = json_pointers.join(request.body_pointer, parameter.name) if fielded else request.body_pointer
            location = Location("request", pointer, "form field", parameter.name, quote_values=True)
            self._parameter("request", parameter, fields.get(parameter.name), location)

    def _body(self, message: HttpMessage, media: dict[str, Any], media_pointer: str, verb: str) -> None:
        if message.body_encoded or not media:
            return
        chosen = select_media(media, message.content_type)
        if chosen is None:
            pointer = message.header_pointers.get("content-type", message.body_pointer)
            spec_types = spec_media_list(media)
            self._add(
                message.where,
                pointer,
                media_pointer,
                f"{message.where} body is `{message.content_type}` in the contract "
                f"but the spec {verb} only {spec_types}",
            )
            return
        readable = body_value(chosen.media_type, message.body)
        if not readable.checkable:
            return
        value = form_object(self.spec.converted, chosen.schema, readable.value) if readable.form else readable.value
        fielded = not (readable.form and isinstance(message.body, str))
        location = Location(message.where, message.body_pointer, f"{message.where} body", path_in_pointer=fielded)
        self._validate(message.where, chosen.schema, value, location, message)

    def _response(self, operation: Operation) -> None:
        status, response_message = self.exchange.status, self.exchange.response
        if status is None:
            return
        response = self._documented(operation, status)
        if response is None:
            documented = either([f"{key}" for key in operation.responses]) if operation.responses else "none"
            self._add(
                "response",
                "/response/status",
                operation.responses_pointer,
                f"response status {status} is in the contract but only {documented} in the spec",
            )
            return
        for name, header in response.headers.items():
            value = response_message.headers.get(name)
            if name == "content-type" or value is None:
                continue  # a consumer that doesn't read a header doesn't rely on it
            pointer = response_message.header_pointers.get(name, json_pointers.join("/response/headers", header.name))
            location = Location("response", pointer, "response header", header.name, quote_values=True)
            self._parameter("response", header, [value], location)
        if not response_message.has_body:
            return
        if response.body is None:
            self._add(
                "response",
                response_message.body_pointer,
                response.pointer,
                f"response body is in the contract but the spec documents none for status {response.key}",
            )
            return
        self._body(response_message, response.body.media, response.body.media_pointer, "returns")

    def _documented(self, operation: Operation, status: int) -> Response | None:
        responses = operation.responses
        for candidate in self._statuses(status):
            found = responses.get(str(candidate)) or responses.get(f"{candidate // 100}XX")
            if found is not None:
                return found
        return responses.get("default")

    def _statuses(self, status: int) -> list[int]:
        """The example's status, then (with a v4 statusCode matcher) the others the consumer accepts."""
        matcher = self.exchange.status_matcher
        accepted = matcher.get("status") if matcher is not None else None
        if isinstance(accepted, str) and accepted in _STATUS_CLASSES:
            return [status, *_STATUS_CLASSES[accepted]]
        if isinstance(accepted, list):
            return [status, *(each for each in accepted if isinstance(each, int))]
        return [status]
