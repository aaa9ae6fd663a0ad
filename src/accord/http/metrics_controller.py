"""GET /metrics, for Prometheus: open to loopback clients only, unless ACCORD_METRICS_TOKEN is set, then to
whoever presents it as a bearer token (and nobody else, loopback included).

The HTTP face of accord.observability, kept here because it reads the request as the tenant middleware does
(public routes, the Authorization header), and observability sits below tenancy.
"""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from litestar import Controller, Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST

from accord.errors import PermissionDenied, Unauthenticated
from accord.observability.exposition import render
from accord.tenancy.middleware import PUBLIC_OPT_KEY, authorization_header


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def allow_scrape(scope: Any, token: str | None) -> None:
    """Raises unless this request may read the metrics."""
    if token:
        presented = (authorization_header(scope) or "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(presented.encode(), token.encode()):
            raise Unauthenticated("Send the metrics token: 'Authorization: Bearer <ACCORD_METRICS_TOKEN>'.")
        return
    client = scope.get("client")
    if not (client and _is_loopback(client[0])):
        raise PermissionDenied(
            "Metrics are served to loopback clients only; set ACCORD_METRICS_TOKEN to scrape remotely."
        )


class MetricsController(Controller):
    """Not an API operation (no tenant, no key): left out of the OpenAPI document."""

    path = "/metrics"
    tags = ["operations"]
    opt = {PUBLIC_OPT_KEY: True}
    include_in_schema = False

    @get("/", media_type=CONTENT_TYPE_LATEST)
    async def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        allow_scrape(request.scope, request.app.state.settings.metrics_token)
        return Response(await render(), media_type=CONTENT_TYPE_LATEST)
