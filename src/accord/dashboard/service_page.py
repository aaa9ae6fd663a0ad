"""The service page: composed from the catalog, specs, deployments, releases and matrix slices' own reads."""

from __future__ import annotations

import asyncio

from accord.composition import matrix_service, presence_service, service_catalog, spec_service
from accord.dashboard.overview import IntegrationsOverview
from accord.dashboard.schemas import ServicePage, SpecLink
from accord.deployments.presence import DEPLOYED, RELEASED
from accord.tenant_ids import TenantId

SECTION_SIZE = 25
# The deployments and releases that are current: one per service, environment and instance, so few.
CURRENT_LIMIT = 200


class ServicePageService:
    def __init__(self, tenant: TenantId) -> None:
        self.catalog = service_catalog(tenant)
        self.specs = spec_service(tenant)
        self.overview = IntegrationsOverview(tenant)
        self.presences = presence_service(tenant)
        self.matrix = matrix_service(tenant)

    async def page(self, name: str, *, versions_cursor: str | None, timeline_cursor: str | None) -> ServicePage:
        """NotFound for a service the tenant does not have (so another tenant's name is a 404)."""
        service = await self.catalog.get_service(name)
        # Reads only, each on its own pooled connection: running them together halves the page's time.
        versions, specs, (as_consumer, as_provider), deployed, released, timeline = await asyncio.gather(
            self.catalog.list_versions(name, limit=SECTION_SIZE, cursor=versions_cursor, branch=None, tag=None),
            self.specs.list_specs(name, limit=SECTION_SIZE + 1, cursor=None, openapi_version=None, content_sha=None),
            self.overview.for_service(name),
            self.presences.list(DEPLOYED, limit=CURRENT_LIMIT, cursor=None, service=name, current=True),
            self.presences.list(RELEASED, limit=CURRENT_LIMIT, cursor=None, service=name, current=True),
            self.matrix.history(name, limit=SECTION_SIZE, cursor=timeline_cursor),
        )
        # Newest first: each spec links its diff from the one before it (fetched one extra for the last link).
        summaries = specs.items
        links = [
            SpecLink(
                version=spec.version,
                openapi_version=spec.openapi_version,
                content_sha=spec.content_sha,
                self_verified=spec.self_verification.success if spec.self_verification else None,
                created_at=spec.created_at,
                previous=summaries[index + 1].version if index + 1 < len(summaries) else None,
            )
            for index, spec in enumerate(summaries[:SECTION_SIZE])
        ]
        return ServicePage(
            service=service,
            versions=versions,
            specs=links,
            as_consumer=as_consumer,
            as_provider=as_provider,
            deployed=sorted(deployed.items, key=lambda d: (d.environment, d.application_instance)),
            released=sorted(released.items, key=lambda r: (r.environment, r.version)),
            timeline=timeline,
        )
