"""415 for a body in a media type the handler does not read (JSON unless the handler's opt says more)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from accord.errors import AppError

JSON_MEDIA_TYPES = ("application/json",)
UTF8_NAMES = ("utf-8", "utf8")


class UnsupportedMediaType(AppError):
    status_code = 415
    slug = "unsupported-media-type"
    title = "Unsupported media type"


def _has_body(request: Request[Any, Any, Any]) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in request.headers


def _accepted(media_type: str, accepted: tuple[str, ...]) -> bool:
    # application/merge-patch+json, application/hal+json ... are JSON too.
    return media_type in accepted or (
        "application/json" in accepted and media_type.startswith("application/") and media_type.endswith("+json")
    )


async def require_supported_media_type(request: Request[Any, Any, Any]) -> None:
    handler = request.route_handler
    if "data" not in handler.parsed_fn_signature.parameters or not _has_body(request):
        return
    accepted: tuple[str, ...] = tuple(handler.opt.get("accepts", JSON_MEDIA_TYPES))
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    if not _accepted(media_type, accepted):
        raise UnsupportedMediaType(
            f"Send the body as {' or '.join(accepted)}, not {media_type or 'an unspecified type'}."
        )
    charset = _charset(parameters)
    if charset is not None and charset not in UTF8_NAMES:
        # Every body is decoded as UTF-8; reading UTF-16 or Latin-1 that way would store garbled text.
        raise UnsupportedMediaType(f"Send the body in UTF-8, not {charset}.")


def _charset(parameters: str) -> str | None:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None
