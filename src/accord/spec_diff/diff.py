"""The changes from one OpenAPI document to another, operation by operation. Pure functions.

Operations pair up by method and path template (parameter names don't matter); within one, parameters,
request body and responses are compared, and their schemas field by field (schema_diff.py). Every change
says whether it breaks consumers (changes.py explains each kind) and what a consumer must use to be hit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from accord.openapi import json_pointers
from accord.openapi.operation_model import Operation, Response
from accord.spec_diff.changes import Change, Target, change
from accord.spec_diff.refs import Node
from accord.spec_diff.schema_diff import Budget, SchemaComparison, Site
from accord.spec_diff.shapes import enum_key
from accord.spec_diff.views import (
    SpecView,
    compared_headers,
    compared_parameters,
    compared_responses,
    header_schema,
    media_schemas,
    operation_key,
    operation_label,
    parameter_schema,
    request_body,
    request_schemas,
    spec_view,
)

MediaSchemas = dict[str, Node | None]


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
        label = operation_label(operation)
        if key[1] in new_paths:
            message = f"{label} was removed; the path remains with other methods."
            changes.append(change("operation-removed", label, operation.pointer, message, target, document="from"))
        else:
            message = f"{label} was removed with its path."
            changes.append(change("path-removed", label, operation.pointer, message, target, document="from"))
    for key, operation in new.operations.items():
        if key not in old.operations:
            target = Target(operation=key, area="operation")
            label = operation_label(operation)
            changes.append(change("operation-added", label, operation.pointer, f"{label} is new.", target))
    return _distinct_in_order(changes)


def _base_paths(old: SpecView, new: SpecView) -> list[Change]:
    if old.base_paths & new.base_paths:
        return []
    was, now = ", ".join(sorted(p or "/" for p in old.base_paths)), ", ".join(sorted(p or "/" for p in new.base_paths))
    pointer = "/basePath" if "basePath" in new.resolver.document else "/servers"
    message = f"The API moved from {was} to {now}."
    return [change("server-base-path-changed", "*", pointer, message, Target(operation=None, area="service"))]


def _operation(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    if new.deprecated and not old.deprecated:
        target = Target(operation=operation_key(old), area="operation")
        pointer = json_pointers.join(new.pointer, "deprecated")
        label = operation_label(new)
        changes.append(change("operation-deprecated", label, pointer, f"{label} is now deprecated.", target))
    changes += _parameters(old, new, schemas)
    changes += _request_body(old, new, schemas)
    changes += _responses(old, new, schemas)
    return changes


def _parameters(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    label, old_key = operation_label(new), operation_key(old)
    old_parameters, new_parameters = compared_parameters(schemas.old, old), compared_parameters(schemas.new, new)
    for key, was in old_parameters.items():
        target = Target(operation=old_key, area="parameter", location=was.location, name=key[1])
        subject = f"{was.location} parameter `{was.name}`"
        now = new_parameters.get(key)
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
        was_schema, now_schema = parameter_schema(schemas.old, was), parameter_schema(schemas.new, now)
        if was_schema is not None and now_schema is not None:
            changes += schemas.compare(was_schema, now_schema, Site(label, "request", subject, target))
    for key, now in new_parameters.items():
        if key in old_parameters:
            continue
        target = Target(operation=old_key, area="parameter", location=now.location, name=key[1])
        kind = "request-parameter-added-required" if now.required else "request-parameter-added-optional"
        how = "required" if now.required else "optional"
        message = f"{now.location.capitalize()} parameter `{now.name}` was added as {how}."
        changes.append(change(kind, label, now.pointer, message, target))
    return changes


def _request_body(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    was, now, label = request_body(old), request_body(new), operation_label(new)
    target = Target(operation=operation_key(old), area="request-body")
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
    was_media, now_media = request_schemas(schemas.old, old), request_schemas(schemas.new, new)
    changes += _media_types(was_media, now_media, (was.pointer, now.pointer), label, target, "request")
    pair = _primary_schemas(was_media, now_media)
    if pair is not None:
        changes += schemas.compare(*pair, Site(label, "request", "the request body", target))
    return changes


def _responses(old: Operation, new: Operation, schemas: SchemaComparison) -> list[Change]:
    changes: list[Change] = []
    label, old_key = operation_label(new), operation_key(old)
    old_responses, new_responses = compared_responses(old), compared_responses(new)
    for status, was in old_responses.items():
        target = Target(operation=old_key, area="response-body", status=status)
        now = new_responses.get(status)
        if now is None:
            cover = _covering_range(status, new_responses)
            if cover is None:
                message = f"{label} no longer documents a {status} response."
                changes.append(change("response-status-removed", label, was.pointer, message, target, document="from"))
                continue
            message = f"{label} documents its {status} response as {cover} now."
            removed = change(
                "response-status-removed", label, was.pointer, message, target, document="from", breaking=False
            )
            changes.append(removed)
            now = new_responses[cover]
        changes += _response(was, now, status, label, target, schemas)
    for status, now in new_responses.items():
        if status not in old_responses:
            target = Target(operation=old_key, area="response-body", status=status)
            message = f"{label} may now answer {status}."
            changes.append(change("response-status-added", label, now.pointer, message, target))
    return changes


def _response(
    was: Response, now: Response, status: str, label: str, target: Target, schemas: SchemaComparison
) -> list[Change]:
    changes: list[Change] = []
    was_media, now_media = media_schemas(schemas.old, was.body), media_schemas(schemas.new, now.body)
    if was_media and not now_media:
        message = f"The {status} response of {label} no longer has a body."
        changes.append(change("response-body-removed", label, was.pointer, message, target, document="from"))
    else:
        pointers = (was.pointer, now.pointer)
        changes += _media_types(was_media, now_media, pointers, label, target, f"the {status} response")
    now_headers = compared_headers(now)
    for name, header in compared_headers(was).items():
        header_target = Target(operation=target.operation, area="response-header", name=name, status=status)
        subject = f"response header `{header.name}` of {status}"
        current = now_headers.get(name)
        if current is None:
            message = f"The {status} response of {label} no longer has the header `{header.name}`."
            changes.append(
                change("response-header-removed", label, header.pointer, message, header_target, document="from")
            )
            continue
        was_schema, now_schema = header_schema(schemas.old, header), header_schema(schemas.new, current)
        if was_schema is not None and now_schema is not None:
            changes += schemas.compare(was_schema, now_schema, Site(label, "response", subject, header_target))
    pair = _primary_schemas(was_media, now_media)
    if pair is not None:
        changes += schemas.compare(*pair, Site(label, "response", f"the {status} response body", target))
    return changes


def _media_types(
    was: MediaSchemas, now: MediaSchemas, pointers: tuple[str, str], label: str, target: Target, what: str
) -> list[Change]:
    """Media types no longer or newly listed; `pointers` are the old and the new body's."""
    changes: list[Change] = []
    request = what == "request"
    for media_type in was:
        if media_type not in now:
            kind = "request-media-type-removed" if request else "response-media-type-removed"
            message = f"{label}: {what} body is no longer {media_type}."
            changes.append(
                change(kind, label, pointers[0], message, replace(target, values=(media_type,)), document="from")
            )
    for media_type in now:
        if media_type not in was:
            kind = "request-media-type-added" if request else "response-media-type-added"
            changes.append(change(kind, label, pointers[1], f"{label}: {what} body may now be {media_type}.", target))
    return changes


def is_json_media_type(media_type: str) -> bool:
    return media_type in ("application/json", "*/*", "application/*") or media_type.endswith("+json")


def _primary_schemas(was: MediaSchemas, now: MediaSchemas) -> tuple[Node, Node] | None:
    """The schemas to compare field by field: the first JSON media type both have, else the first shared one,
    else each side's first JSON one (a renamed vendor type still describes the same JSON)."""
    shared = [t for t in was if was[t] is not None and now.get(t) is not None]
    for media_type in sorted(shared, key=lambda t: not is_json_media_type(t)):
        old_schema, new_schema = was[media_type], now[media_type]
        if old_schema is not None and new_schema is not None:
            return old_schema, new_schema
    old_json = next((s for t, s in was.items() if s is not None and is_json_media_type(t)), None)
    new_json = next((s for t, s in now.items() if s is not None and is_json_media_type(t)), None)
    return (old_json, new_json) if old_json is not None and new_json is not None else None


def _covering_range(status: str, responses: dict[str, Response]) -> str | None:
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
