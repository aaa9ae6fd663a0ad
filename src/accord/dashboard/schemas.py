"""What the web pages show: read models built for one screen each, never stored."""

from __future__ import annotations

import datetime
from typing import Literal

import msgspec

from accord.catalog.schemas import Service, Version
from accord.deployments.schemas import DeployedVersion, Deployment, Release, SupportedVersion
from accord.http.pagination import Page
from accord.matrix.schemas import HistoryEvent

CellStatus = Literal["verified", "failed", "unverified", "not-deployed"]


class Verdict(msgspec.Struct, frozen=True, kw_only=True):
    """The newest verdict on a pair's latest contract from one set of provider versions (main branch, or what runs
    in an environment): a replayed verification, else the static check against that provider version's spec."""

    status: CellStatus
    provider_version: str | None = None
    verified_by: Literal["verification", "static-check"] | None = None
    verifier: str | None = None  # the tool that replayed it, when it said
    at: datetime.datetime | None = None
    verification_id: str | None = None
    static_check_id: str | None = None


class IntegrationLine(msgspec.Struct, frozen=True, kw_only=True):
    consumer: str
    provider: str
    consumer_version: str
    contract_sha: str
    main_branch: Verdict
    environments: dict[str, Verdict]

    @property
    def failing(self) -> bool:
        return self.main_branch.status == "failed" or any(v.status == "failed" for v in self.environments.values())


class OverviewFilters(msgspec.Struct, frozen=True, kw_only=True):
    search: str | None = None
    failing_only: bool = False
    environment: str | None = None


class OverviewPage(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[IntegrationLine]
    environments: list[str]  # columns, in name order (only the filtered one when filtered)
    known_environments: list[str]  # every environment of the tenant, for the filter
    total: int  # pairs matching the filters
    page: int
    pages: int
    page_size: int


class ServicePage(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the service page shows; each list is one bounded page of an existing slice's read."""

    service: Service
    versions: Page[Version]
    specs: list[SpecLink]
    as_consumer: list[IntegrationLine]
    as_provider: list[IntegrationLine]
    deployed: list[Deployment]
    released: list[Release]
    timeline: Page[HistoryEvent]


class SpecLink(msgspec.Struct, frozen=True, kw_only=True):
    """A spec version and the one before it, to link their diff."""

    version: str
    openapi_version: str
    content_sha: str
    self_verified: bool | None
    created_at: datetime.datetime
    previous: str | None


class EnvironmentColumn(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    display_name: str | None
    production: bool
    deployed: list[DeployedVersion]
    released: list[SupportedVersion]
    more: bool  # more than one page runs there: the board shows the first
