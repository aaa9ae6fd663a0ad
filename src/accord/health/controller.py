from __future__ import annotations

from litestar import Controller, Response, get

from accord.health.schemas import Liveness, Readiness
from accord.health.service import HealthService
from accord.tenancy.middleware import PUBLIC_OPT_KEY


class HealthController(Controller):
    """No authentication: probes by load balancers and orchestrators (the tenant middleware skips /health)."""

    path = "/health"
    tags = ["operations"]
    opt = {PUBLIC_OPT_KEY: True}

    @get("/", operation_id="Liveness", summary="The process is up (never touches the database)")
    async def liveness(self) -> Liveness:
        return Liveness()

    @get("/ready", operation_id="Readiness", summary="Ready to serve: 200, else 503 naming the failing checks")
    async def readiness(self) -> Response[Readiness]:
        report = await HealthService().readiness()
        return Response(report, status_code=200 if report.status == "ready" else 503)
