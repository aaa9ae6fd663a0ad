"""Reading an uploaded OpenAPI document: parse JSON or YAML, bound its size, and hash its canonical form."""

from __future__ import annotations

import datetime
import hashlib
import math
from typing import Any, Literal

import msgspec
import yaml

from accord.errors import AppError, FieldError, InvalidInput
from accord.openapi import json_pointers

SourceFormat = Literal["json", "yaml"]

# The app already refuses bodies over ACCORD_MAX_BODY_BYTES; this bounds what one document may cost even
# when that setting is raised.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# YAML aliases let a few kilobytes stand for billions of values ("billion laughs"); expanding them into
# plain JSON is where that cost would be paid, so the expansion is counted and cut off.
MAX_VALUES = 2_000_000
MAX_DEPTH = 100
# Python refuses int() of more than 4,300 digits (a ValueError deep in the YAML constructor); no OpenAPI
# document needs a number anywhere near this long.
MAX_NUMBER_DIGITS = 100

# libyaml's loader when the wheel has it (10x faster), the pure-Python one otherwise; both are "safe".
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """The safe loader, with integers bounded in length before they are converted."""


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    if len(node.value) > MAX_NUMBER_DIGITS:
        raise _malformed(f"A number is longer than {MAX_NUMBER_DIGITS} characters (line {node.start_mark.line + 1}).")
    value: int = loader.construct_yaml_int(node)
    return value


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _bounded_int)


class DocumentTooLarge(AppError):
    status_code = 413
    slug = "payload-too-large"
    title = "Request body too large"


class ParsedDocument(msgspec.Struct, frozen=True, kw_only=True):
    """A document as plain JSON values, with its canonical serialisation and that serialisation's SHA-256."""

    document: dict[str, Any]
    canonical: bytes
    content_sha: str
    source_format: SourceFormat
    source_text: str


def parse_document(raw: bytes, source_format: SourceFormat) -> ParsedDocument:
    """The parsed document; InvalidInput for malformed input, DocumentTooLarge for an absurd one."""
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise DocumentTooLarge(f"The document is {len(raw)} bytes; at most {MAX_DOCUMENT_BYTES} are accepted.")
    if not raw.strip():
        raise InvalidInput("The document is empty.", errors=[FieldError(detail="send an OpenAPI document", pointer="")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _malformed(f"The document is not UTF-8: {exc}") from None
    loaded = _load_json(raw) if source_format == "json" else _load_yaml(text)
    document = _JsonTree().convert(loaded)
    if not isinstance(document, dict):
        raise _malformed(f"The document must be an object, not {_json_type(document)}.")
    # Sorted keys, no whitespace, UTF-8: formatting, key order and JSON-vs-YAML don't change the hash.
    canonical = msgspec.json.encode(document, order="sorted")
    return ParsedDocument(
        document=document,
        canonical=canonical,
        content_sha=hashlib.sha256(canonical).hexdigest(),
        source_format=source_format,
        source_text=text,
    )


def _load_json(raw: bytes) -> Any:
    try:
        return msgspec.json.decode(raw)
    except msgspec.DecodeError as exc:
        raise _malformed(str(exc)) from None
    except RecursionError:
        raise _malformed(f"The document is nested deeper than {MAX_DEPTH} levels.") from None


def _check_yaml_depth(text: str) -> None:
    """Refuse deep nesting before composing: libyaml's composer recurses once per level and crashes the process
    (a C stack overflow, not a RecursionError) at some tens of thousands of levels. Its event parser keeps an
    explicit stack, so counting collection events is safe and stops at the first level too many."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _malformed(f"The document is nested deeper than {MAX_DEPTH} levels.")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_yaml(text: str) -> Any:
    try:
        _check_yaml_depth(text)
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader (C or Python)
    except yaml.YAMLError as exc:
        raise _malformed(f"YAML is malformed: {exc}") from None
    except RecursionError:
        raise _malformed(f"The document is nested deeper than {MAX_DEPTH} levels.") from None


def _malformed(detail: str) -> InvalidInput:
    return InvalidInput(detail, errors=[FieldError(detail=detail, pointer="")])


def _json_type(value: Any) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(type(value), "a number")


class _JsonTree:
    """Copies parsed YAML or JSON into plain JSON values, expanding aliases within a budget.

    YAML has values JSON lacks: integer keys (`200:` under responses) and dates become strings as they read;
    binary data, sets, NaN and infinities are refused. Strings with NUL can't be stored in PostgreSQL.
    """

    def __init__(self) -> None:
        self.remaining = MAX_VALUES
        self.path: list[str] = []  # where convert() is, as JSON pointer parts; only read to report an error

    def convert(self, value: Any) -> Any:
        self.remaining -= 1
        if self.remaining < 0:
            raise DocumentTooLarge(
                f"The document expands to more than {MAX_VALUES} values (YAML aliases count each time they're used)."
            )
        if len(self.path) > MAX_DEPTH:
            raise self._unsupported(f"nested deeper than {MAX_DEPTH} levels (or a recursive YAML alias)")
        if isinstance(value, dict):
            return {name: self._child(name, item) for name, item in ((self._key(k), v) for k, v in value.items())}
        if isinstance(value, list):
            return [self._child(str(index), item) for index, item in enumerate(value)]
        if isinstance(value, str):
            if "\x00" in value:
                raise self._unsupported("strings must not contain NUL characters")
            return value
        if value is None or isinstance(value, bool | int):
            return value
        if isinstance(value, float):
            if not math.isfinite(value):
                raise self._unsupported(f"{value} is not a JSON number")
            return value
        if isinstance(value, datetime.date):  # and datetime: YAML reads unquoted timestamps as dates
            return value.isoformat()
        raise self._unsupported(f"a YAML {type(value).__name__} has no JSON equivalent")

    def _child(self, name: str, value: Any) -> Any:
        self.path.append(name)
        if name in ("$ref", "$dynamicRef") and isinstance(value, str) and not value.startswith("#"):
            # Resolving it would make Accord fetch a URL, or read a file, that the uploader chose.
            raise self._unsupported("only references within the document (#/...) are supported")
        converted = self.convert(value)
        self.path.pop()
        return converted

    def _key(self, key: Any) -> str:
        if isinstance(key, str):
            if "\x00" in key:
                raise self._unsupported("keys must not contain NUL characters")
            return key
        if isinstance(key, bool) or key is None:
            return msgspec.json.encode(key).decode()
        if isinstance(key, int | float):
            return str(key)
        if isinstance(key, datetime.date):
            return key.isoformat()
        raise self._unsupported(f"a YAML {type(key).__name__} can't be an object key")

    def _unsupported(self, detail: str) -> InvalidInput:
        pointer = json_pointers.join("", *self.path)
        return InvalidInput(
            f"The document can't be stored: {detail}.", errors=[FieldError(detail=detail, pointer=pointer)]
        )
