"""Where clients reach Accord, for absolute links (HAL, invitation and badge URLs, webhook test runs)."""

from __future__ import annotations

from typing import Any

from litestar import Request

from accord.settings import get_settings


def _first(value: str | None) -> str | None:
    # Proxies chain these headers: "https, http" means the client spoke https to the first proxy.
    return value.split(",")[0].strip() or None if value else None


def base_url(request: Request[Any, Any, Any]) -> str:
    """ACCORD_BASE_URL, else X-Forwarded-Proto/Host/Prefix, else the request."""
    configured = get_settings().base_url
    if configured:
        return configured.rstrip("/")
    headers = request.headers
    scheme = _first(headers.get("x-forwarded-proto")) or request.url.scheme
    host = _first(headers.get("x-forwarded-host")) or headers.get("host") or request.url.netloc
    prefix = (_first(headers.get("x-forwarded-prefix")) or "").rstrip("/")
    if prefix and not prefix.startswith("/"):
        prefix = "/" + prefix
    return f"{scheme}://{host}{prefix}"
