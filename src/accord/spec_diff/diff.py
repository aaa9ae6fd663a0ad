"""The changes from one OpenAPI document to another, operation by operation. Pure functions.

Operations pair up by method and path template (parameter names don't matter); within one, parameters,
request body and responses are compared, and their schemas field by field (schema_diff.py). Every change
says whether it breaks consumers (changes.py explains each kind) and what a consumer must use to be hit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from accord.openapi import json_pointers
from accord.spec_diff.changes import Change, Target, change
from accord.spec_diff.refs import Node
from accord.spec_diff.schema_diff import Budget, SchemaComparison, Site
from accord.spec_diff.shapes import enum_key
from accord.spec_diff.views import BodyView, OperationView, ResponseView, SpecView, spec_view


@dataclass(frozen=True, slots=True)
class SpecDiff:
    changes: list[Change]
    old: SpecView
    new: SpecView

    @property
    def breaking(self) -> bool:
        return any(c.breaking for c in self.changes)


def diff_documents(old_document: dict[str, Any], new_document: dict[str, Any]) -> SpecDiff:
    old, new = spec_view(old_document), spec_view(new_document)
    return SpecDiff(changes=diff_views(old, new), old=old, new=new)


def diff_views(old: SpecView, new: SpecView) -> list[Change]:
    schemas = SchemaComparison(old.resolver, new.resolver, Budget())
    changes = _base_paths(old, new)
    new_paths = {key[1] for key in new.operations}
    for key, operation in old.operations.items():
        counterpart = new.operations.get(key)
        if counterpart is not None:
            changes += _operation(operation, counterpart, schemas)
            continue
        target = Target(operation=key, area="operation")
        if key[1] in new_paths:
            message = f"{operation.label} was removed; the path remains with other methods."
            changes.append(
                change("operation-removed", operation.label, operation.pointer, message, target, document="from")
            )
        else:
            message = f"{operation.label} was removed with its path."
            changes.append(change("path-removed", operation.label, operation.pointer, message, target, document="from"))
    for key, operation in new.operations.items():
        if key not in old.operations:
            target = Target(operation=key, area="operation")
            changes.append(
                change("operation-added", operation.label, operation.pointer, f"{operation.label} is new.", target)
            )
    return _distinct_in_order(changes)


def _base_paths(old: SpecView, new: SpecView) -> list[Change]:
    if old.base_paths & new.base_paths:
        return []
    was, now = ", ".join(sorted(p or "/" for p in old.base_paths)), ", ".join(sorted(p or "/" for p in new.base_paths))
    pointer = "/basePath" if "basePath" in new.resolver.document else "/servers"
    message = f"The API moved from {was} to {now}."
    return [change("server-base-path-changed", "*", pointer, message, Target(operation=None, area="service"))]


def _operation(old: OperationView, new: OperationView, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    if new.deprecated and not old.deprecated:
        target = Target(operation=old.key, area="operation")
        pointer = json_pointers.join(new.pointer, "deprecated")
        changes.append(change("operation-deprecated", new.label, pointer, f"{new.label} is now deprecated.", target))
    changes += _parameters(old, new, schemas)
    changes += _request_body(old, new, schemas)
    changes += _responses(old, new, schemas)
    return changes


def _parameters(old: OperationView, new: OperationView, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    label = new.label
    for key, was in old.parameters.items():
        target = Target(operation=old.key, area="parameter", location=was.location, name=key[1])
        subject = f"{was.location} parameter `{was.name}`"
        now = new.parameters.get(key)
        if now is None:
            message = f"{subject.capitalize()} was removed."
            changes.append(change("request-parameter-removed", label, was.pointer, message, target, document="from"))
            continue
        if now.required and not was.required:
            message = f"{subject.capitalize()} is now required."
            changes.append(change("request-parameter-made-required", label, now.pointer, message, target))
        elif was.required and not now.required:
            message = f"{subject.capitalize()} is now optional."
            changes.append(change("request-parameter-made-optional", label, now.pointer, message, target))
        if was.schema is not None and now.schema is not None:
            changes += schemas.compare(was.schema, now.schema, Site(label, "request", subject, target))
    for key, now in new.parameters.items():
        if key in old.parameters:
            continue
        target = Target(operation=old.key, area="parameter", location=now.location, name=key[1])
        kind = "request-parameter-added-required" if now.required else "request-parameter-added-optional"
        how = "required" if now.required else "optional"
        message = f"{now.location.capitalize()} parameter `{now.name}` was added as {how}."
        changes.append(change(kind, label, now.pointer, message, target))
    return changes


def _request_body(old: OperationView, new: OperationView, schemas: SchemaComparison) -> list[Change]:
    was, now, label = old.body, new.body, new.label
    target = Target(operation=old.key, area="request-body")
    if was is None:
        if now is None:
            return []
        if now.required:
            message = f"{label} now requires a request body."
            return [change("request-body-added-required", label, now.pointer, message, target)]
        return [change("request-body-added", label, now.pointer, f"{label} now accepts a request body.", target)]
    if now is None:
        message = f"{label} no longer takes a request body."
        return [change("request-body-removed", label, was.pointer, message, target, document="from")]
    changes: list[Change] = []
    if now.required and not was.required:
        changes.append(
            change("request-body-made-required", label, now.pointer, "The request body is now required.", target)
        )
    elif was.required and not now.required:
        changes.append(
            change("request-body-made-optional", label, now.pointer, "The request body is now optional.", target)
        )
    changes += _media_types(was, now, label, target, "request")
    pair = _primary_schemas(was, now)
    if pair is not None:
        changes += schemas.compare(*pair, Site(label, "request", "the request body", target))
    return changes


def _responses(old: OperationView, new: OperationView, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    label = new.label
    for status, was in old.responses.items():
        target = Target(operation=old.key, area="response-body", status=status)
        now = new.responses.get(status)
        if now is None:
            cover = _covering_range(status, new.responses)
            if cover is None:
                message = f"{label} no longer documents a {status} response."
                changes.append(change("response-status-removed", label, was.pointer, message, target, document="from"))
                continue
            message = f"{label} documents its {status} response as {cover} now."
            removed = change(
                "response-status-removed", label, was.pointer, message, target, document="from", breaking=False
            )
            changes.append(removed)
            now = new.responses[cover]
        changes += _response(was, now, status, label, target, schemas)
    for status, now in new.responses.items():
        if status not in old.responses:
            target = Target(operation=old.key, area="response-body", status=status)
            message = f"{label} may now answer {status}."
            changes.append(change("response-status-added", label, now.pointer, message, target))
    return changes


def _response(
    was: ResponseView, now: ResponseView, status: str, label: str, target: Target, schemas: SchemaComparison
) -> list[Change]:
    changes: list[Change] = []
    if was.body.media and not now.body.media:
        message = f"The {status} response of {label} no longer has a body."
        changes.append(change("response-body-removed", label, was.pointer, message, target, document="from"))
    else:
        changes += _media_types(was.body, now.body, label, target, f"the {status} response")
    for name, header in was.headers.items():
        header_target = Target(operation=target.operation, area="response-header", name=name, status=status)
        subject = f"response header `{header.name}` of {status}"
        current = now.headers.get(name)
        if current is None:
            message = f"The {status} response of {label} no longer has the header `{header.name}`."
            changes.append(
                change("response-header-removed", label, header.pointer, message, header_target, document="from")
            )
        elif header.schema is not None and current.schema is not None:
            changes += schemas.compare(header.schema, current.schema, Site(label, "response", subject, header_target))
    pair = _primary_schemas(was.body, now.body)
    if pair is not None:
        changes += schemas.compare(*pair, Site(label, "response", f"the {status} response body", target))
    return changes


def _media_types(was: BodyView, now: BodyView, label: str, target: Target, what: str) -> list[Change]:
    changes: list[Change] = []
    request = what == "request"
    for media_type in was.media:
        if media_type not in now.media:
            kind = "request-media-type-removed" if request else "response-media-type-removed"
            message = f"{label}: {what} body is no longer {media_type}."
            changes.append(
                change(kind, label, was.pointer, message, replace(target, values=(media_type,)), document="from")
            )
    for media_type in now.media:
        if media_type not in was.media:
            kind = "request-media-type-added" if request else "response-media-type-added"
            changes.append(change(kind, label, now.pointer, f"{label}: {what} body may now be {media_type}.", target))
    return changes


def is_json_media_type(media_type: str) -> bool:
    return media_type in ("application/json", "*/*", "application/*") or media_type.endswith("+json")


def _primary_schemas(was: BodyView, now: BodyView) -> tuple[Node, Node] | None:
    """The schemas to compare field by field: the first JSON media type both have, else the first shared one,
    else each side's first JSON one (a renamed vendor type still describes the same JSON)."""
    shared = [t for t in was.media if was.media[t] is not None and now.media.get(t) is not None]
    for media_type in sorted(shared, key=lambda t: not is_json_media_type(t)):
        old_schema, new_schema = was.media[media_type], now.media[media_type]
        if old_schema is not None and new_schema is not None:
            return old_schema, new_schema
    old_json = next((s for t, s in was.media.items() if s is not None and is_json_media_type(t)), None)
    new_json = next((s for t, s in now.media.items() if s is not None and is_json_media_type(t)), None)
    return (old_json, new_json) if old_json is not None and new_json is not None else None


def _covering_range(status: str, responses: dict[str, ResponseView]) -> str | None:
    """`4XX` for a removed `404` when the new spec has it: the same class of outcome is still described."""
    if len(status) == 3 and status.isdigit() and f"{status[0]}XX" in responses:
        return f"{status[0]}XX"
    return None


def _distinct_in_order(changes: list[Change]) -> list[Change]:
    """Breaking changes first, then by operation and place; a change reached twice (allOf members sharing a
    definition) is listed once."""
    seen: dict[tuple[Any, ...], Change] = {}
    for item in changes:
        target = item.target
        key = (
            item.kind,
            item.operation,
            item.pointer,
            item.message,
            target.area,
            target.status,
            target.field,
            target.name,
        )
        seen.setdefault(key + tuple(enum_key(v) for v in target.values), item)
    return sorted(seen.values(), key=lambda c: (not c.breaking, c.operation, c.pointer, c.kind, c.message))
