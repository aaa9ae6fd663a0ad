"""The kinds of change between two versions of a spec, whether each breaks consumers, and what a consumer must
be doing for a change to concern it.

A change is breaking when a consumer that worked against the old spec can fail against the new one without
changing its code. Requests and responses are mirror images: a request breaks when the provider starts to
refuse something it accepted (the new spec accepts less), a response when the provider may send something the
consumer was never told to expect (the new spec produces more). Adding optional things and loosening what a
provider accepts never breaks anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from accord.spec_diff.views import OperationKey

Document = Literal["from", "to"]
# Where in an exchange a change lies; `field` and `name` below are relative to it.
Area = Literal["service", "operation", "parameter", "request-body", "response-body", "response-header"]
# What a recorded exchange of the operation must show for the change to concern its consumer.
Use = Literal[
    "none",  # non-breaking: concerns nobody
    "calls",  # any call of the operation
    "omits",  # the parameter, request body, or field (where its object is sent) is missing
    "sends",  # the parameter or request field is present
    "sends-value",  # ... with one of the change's values (a removed enum value)
    "sends-refused-value",  # ... with a value the change's new constraint (its only value) refuses
    "sends-unknown-field",  # the object at the field has members the new spec doesn't declare
    "sends-media-type",  # the request body is sent as one of the change's media types
    "receives-status",  # the response's status is described by the change's status key
    "receives",  # ... and the response has the field (or header, or body)
    "receives-media-type",  # ... and the response body came as the change's media type
]


@dataclass(frozen=True, slots=True)
class Kind:
    breaking: bool
    use: Use
    why: str


# Stable slugs; `breaking` is the default, a few changes decide it from the documents (see `why`).
KINDS: dict[str, Kind] = {
    # Paths and operations.
    "server-base-path-changed": Kind(True, "calls", "every request goes to the old base path"),
    "path-removed": Kind(True, "calls", "calls get 404"),
    "operation-removed": Kind(True, "calls", "calls get 404 or 405"),
    "operation-added": Kind(False, "none", "nobody calls it yet"),
    "operation-deprecated": Kind(False, "none", "still served; a warning to migrate"),
    # Parameters.
    "request-parameter-added-required": Kind(True, "omits", "requests without it are refused"),
    "request-parameter-made-required": Kind(True, "omits", "requests without it are refused"),
    "request-parameter-added-optional": Kind(False, "none", "old requests stay valid"),
    "request-parameter-made-optional": Kind(False, "none", "old requests stay valid"),
    "request-parameter-removed": Kind(
        False, "none", "providers ignore unknown query and header parameters; check that nobody relied on its effect"
    ),
    # Request bodies.
    "request-body-added-required": Kind(True, "omits", "requests without a body are refused"),
    "request-body-made-required": Kind(True, "omits", "requests without a body are refused"),
    "request-body-added": Kind(False, "none", "the body is optional"),
    "request-body-made-optional": Kind(False, "none", "old requests stay valid"),
    "request-body-removed": Kind(False, "none", "a body the provider doesn't read is ignored"),
    "request-media-type-removed": Kind(True, "sends-media-type", "bodies of that type get 415"),
    "request-media-type-added": Kind(False, "none", "old requests stay valid"),
    # Request values (parameters and body fields): breaking when the provider accepts less.
    "request-body-field-added-required": Kind(True, "omits", "objects without it are refused"),
    "request-body-field-made-required": Kind(True, "omits", "objects without it are refused"),
    "request-body-field-added": Kind(False, "none", "the field is optional"),
    "request-body-field-made-optional": Kind(False, "none", "old requests stay valid"),
    "request-body-field-removed": Kind(
        False, "sends", "ignored like any unknown field, unless the new schema forbids additional properties"
    ),
    "request-additional-properties-forbidden": Kind(True, "sends-unknown-field", "undeclared fields are refused"),
    "request-type-narrowed": Kind(True, "sends", "values of the dropped types (or null) are refused"),
    "request-type-widened": Kind(False, "none", "old values stay valid"),
    "enum-value-removed-from-request": Kind(True, "sends-value", "only consumers that send the value are refused"),
    "request-enum-value-added": Kind(False, "none", "old values stay valid"),
    "request-constraint-tightened": Kind(True, "sends-refused-value", "values valid before may be refused now"),
    "request-constraint-relaxed": Kind(False, "none", "old values stay valid"),
    # Responses: breaking when the provider may send what consumers weren't told to expect.
    "response-status-removed": Kind(
        True, "receives-status", "consumers handling it get another status; not breaking if a range like 4XX covers it"
    ),
    "response-status-added": Kind(False, "none", "a documented new outcome; consumers should have a default branch"),
    "response-media-type-removed": Kind(True, "receives-media-type", "consumers asking for it get 406 or another type"),
    "response-media-type-added": Kind(False, "none", "sent only to consumers that ask for it"),
    "response-body-removed": Kind(True, "receives", "consumers reading the body get nothing"),
    "response-header-removed": Kind(True, "receives", "consumers reading the header get nothing"),
    "response-field-removed": Kind(True, "receives", "consumers reading it get nothing"),
    "response-field-made-optional": Kind(True, "receives", "consumers reading it may get nothing"),
    "response-field-added": Kind(False, "none", "tolerant readers ignore unknown fields"),
    "response-field-retyped": Kind(True, "receives", "consumers may get values of a type they can't read"),
    "response-field-made-nullable": Kind(True, "receives", "consumers may get null where they expect a value"),
    "response-type-narrowed": Kind(False, "none", "every value sent now was already expected"),
    "response-enum-value-added": Kind(
        True,
        "receives",
        "consumers that map the enum to a closed type (generated clients, exhaustive switches) fail on the new "
        "value; not breaking when the old schema declared the list open with x-extensible-enum",
    ),
    "response-enum-value-removed": Kind(False, "none", "every value sent now was already expected"),
}


@dataclass(frozen=True, slots=True)
class Target:
    """What of an operation a change touches, for matching recorded exchanges (see usage.py)."""

    operation: OperationKey | None  # None: every operation
    area: Area
    location: str | None = None  # parameter: path, query, header, cookie
    name: str | None = None  # parameter name (a path parameter's position) or response header name
    status: str | None = None  # response key: "200", "2XX", "default"
    field: tuple[str, ...] = ()  # property names; "[]" for array items, "*" for additional properties
    # removed enum values, declared field names, media types, or the new constraint (constraint_values.py)
    values: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    breaking: bool
    operation: str  # "GET /orders/{id}"; "*" for the whole API
    pointer: str  # JSON pointer into `document`
    document: Document  # `from` for what was removed, `to` otherwise
    message: str
    target: Target


def change(
    kind: str,
    operation: str,
    pointer: str,
    message: str,
    target: Target,
    *,
    document: Document = "to",
    breaking: bool | None = None,
) -> Change:
    info = KINDS[kind]
    return Change(
        kind=kind,
        breaking=info.breaking if breaking is None else breaking,
        operation=operation,
        pointer=pointer,
        document=document,
        message=message,
        target=target,
    )


def describe_field(field: tuple[str, ...]) -> str:
    """`items[].status` for ("items", "[]", "status"); "the body" for ()."""
    text = ""
    for part in field:
        text += part if part == "[]" else f".{part}" if text else part
    return text or "<root>"
