"""The integrations overview: every consumer -> provider pair, its newest contract and where it stands on the
provider's main branch and in each environment."""

from __future__ import annotations

import math
from uuid import UUID

from accord.composition import contract_follower
from accord.dashboard.overview_repository import OverviewRepository, VerdictRow
from accord.dashboard.schemas import IntegrationLine, OverviewFilters, OverviewPage, Verdict
from accord.errors import FieldError, InvalidInput
from accord.tenant_ids import TenantId

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 25
NOT_DEPLOYED = Verdict(status="not-deployed")
NO_MAIN_BRANCH = Verdict(status="unverified")


def _verdict(row: VerdictRow) -> Verdict:
    if row.verification_id is not None:
        return Verdict(
            status="verified" if row.success else "failed",
            provider_version=row.provider_version,
            verified_by="verification",
            verifier=row.verifier,
            at=row.verified_at,
            verification_id=str(row.verification_id),
        )
    if row.static_check_id is not None:
        return Verdict(
            status="verified" if row.static_status == "passed" else "failed",
            provider_version=row.provider_version,
            verified_by="static-check",
            at=row.checked_at,
            static_check_id=str(row.static_check_id),
        )
    return Verdict(status="unverified", provider_version=row.provider_version)


class IntegrationsOverview:
    def __init__(self, tenant: TenantId) -> None:
        self.repository = OverviewRepository(tenant)
        self.follower = contract_follower(tenant)

    async def page(self, filters: OverviewFilters, *, page: int, page_size: int) -> OverviewPage:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidInput(
                f"The page size must be between 1 and {MAX_PAGE_SIZE}.",
                errors=[FieldError(detail=f"1 to {MAX_PAGE_SIZE}", parameter="page_size")],
            )
        if page < 1:
            raise InvalidInput("Pages are numbered from 1.", errors=[FieldError(detail=">= 1", parameter="page")])
        environments = known = await self.repository.environment_names()
        if filters.environment is not None:
            if filters.environment not in environments:
                raise InvalidInput(
                    f"No environment named '{filters.environment}'.",
                    errors=[FieldError(detail="an existing environment", parameter="environment")],
                )
            environments = [filters.environment]
        search = filters.search.strip().lower() if filters.search and filters.search.strip() else None
        lines = await self._lines(search, environments)
        if filters.failing_only:
            lines = [line for line in lines if line.failing]
        if filters.environment is not None:
            lines = [line for line in lines if line.environments[filters.environment].status != "not-deployed"]
        pages = max(1, math.ceil(len(lines) / page_size))
        start = (page - 1) * page_size
        return OverviewPage(
            lines=lines[start : start + page_size],
            environments=environments,
            known_environments=known,
            total=len(lines),
            page=page,
            pages=pages,
            page_size=page_size,
        )

    async def all_lines(self) -> list[IntegrationLine]:
        return await self._lines(None, await self.repository.environment_names())

    async def for_service(self, service: str) -> tuple[list[IntegrationLine], list[IntegrationLine]]:
        """The service's pairs: (as consumer, as provider), every environment a column."""
        lines = await self._lines(service.lower(), await self.repository.environment_names())
        return (
            [line for line in lines if line.consumer == service],
            [line for line in lines if line.provider == service],
        )

    async def _lines(self, search: str | None, environments: list[str]) -> list[IntegrationLine]:
        await self.follower.settle()  # every recorded batch counts, derived or not
        pairs = await self.repository.pairs(search)
        verdicts: dict[tuple[UUID, UUID], dict[str, Verdict]] = {}
        for row in await self.repository.verdicts(pairs):
            verdicts.setdefault((row.consumer, row.provider), {})[row.scope] = _verdict(row)
        lines = []
        for pair in pairs:
            scopes = verdicts.get((pair.consumer_id, pair.provider_id), {})
            lines.append(
                IntegrationLine(
                    consumer=pair.consumer,
                    provider=pair.provider,
                    consumer_version=pair.consumer_version,
                    contract_sha=pair.sha,
                    main_branch=scopes.get("", NO_MAIN_BRANCH),
                    environments={name: scopes.get(name, NOT_DEPLOYED) for name in environments},
                )
            )
        return lines
