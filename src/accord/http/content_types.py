"""415 for a body in a media type the handler does not read (JSON unless the handler's opt says more)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from accord.errors import AppError

JSON_MEDIA_TYPES = ("application/json",)


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
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if not _accepted(media_type, accepted):
        raise UnsupportedMediaType(
            f"Send the body as {' or '.join(accepted)}, not {media_type or 'an unspecified type'}."
        )
