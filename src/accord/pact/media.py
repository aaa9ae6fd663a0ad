"""HAL responses."""

from __future__ import annotations

from typing import Any

from litestar import Response

HAL_JSON = "application/hal+json"
# What the Pact Broker sends, byte for byte: older clients and HAL tools compare the header literally.
HAL_JSON_RESPONSE = "application/hal+json;charset=utf-8"
SVG = "image/svg+xml"  # badges


def hal(body: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response[Any]:
    return Response(body, status_code=status_code, media_type=HAL_JSON_RESPONSE, headers=headers)
