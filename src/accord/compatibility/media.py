"""Which of the spec's media types a contract's body is, and the body as the value a schema checks."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import parse_qs

import msgspec

from accord.openapi.operation_model import JSON_MEDIA_TYPE, MediaSchema
from accord.openapi.operations import media_type_key

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


class Readable(NamedTuple):
    value: Any
    checkable: bool  # multipart and XML bodies aren't read: their schemas describe a structure, not text
    form: bool = False  # value is {field: [texts]}: its fields still need coercing like parameters


def select_media(media: dict[str, MediaSchema], content_type: str | None) -> MediaSchema | None:
    """The spec's entry for the contract's content type: exact, by range (`text/*`, `*/*`), or JSON for a
    `+json` type; without a content type, JSON if the spec has it, else its first. None if none fits."""
    wanted = media_type_key(content_type)
    if not wanted:
        return (
            media.get(JSON_MEDIA_TYPE)
            or next((each for key, each in media.items() if _is_json(key)), None)
            or next(iter(media.values()), None)
        )
    if wanted in media:
        return media[wanted]
    family = wanted.split("/", 1)[0]
    found = media.get(f"{family}/*") or media.get("*/*")
    if found is not None:
        return found
    if _is_json(wanted):
        return media.get(JSON_MEDIA_TYPE) or next((each for key, each in media.items() if _is_json(key)), None)
    return None


def spec_media_list(media: dict[str, MediaSchema]) -> str:
    listed = [f"`{each.media_type}`" for each in media.values()]
    return ", ".join(listed[:-1]) + " or " + listed[-1] if len(listed) > 1 else listed[0]


def body_value(media_type: str | None, body: Any) -> Readable:
    media = media_type_key(media_type)
    if media.startswith("multipart/") or "xml" in media:
        return Readable(body, checkable=False)
    if media == FORM_MEDIA_TYPE:
        return Readable(form_fields(body), checkable=True, form=True)
    if isinstance(body, str) and (_is_json(media) or media in ("", "*/*")):
        try:
            return Readable(msgspec.json.decode(body), checkable=True)
        except msgspec.DecodeError:
            return Readable(body, checkable=True)
    return Readable(body, checkable=True)


def form_fields(body: Any) -> dict[str, list[str]]:
    """A form body's fields: from `a=1&b=2`, or from an object a recording or pact already decoded it into."""
    if isinstance(body, str):
        return parse_qs(body, keep_blank_values=True)
    if isinstance(body, dict):
        return {
            str(name): [_text(each) for each in value] if isinstance(value, list) else [_text(value)]
            for name, value in body.items()
        }
    return {}


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return msgspec.json.encode(value).decode()


def _is_json(media_type: str) -> bool:
    return media_type == JSON_MEDIA_TYPE or media_type.endswith("+json")
