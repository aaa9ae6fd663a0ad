"""The read and review pages (integrations, services, matrix, environments, checks, fixtures, network), listed
once so the router takes them in one line."""

from __future__ import annotations

from litestar.types import ControllerRouterHandler

from accord.web.pages.checks import ChecksPage
from accord.web.pages.environments import EnvironmentsPage
from accord.web.pages.fixtures import FixturesPage
from accord.web.pages.integrations import IntegrationsPage
from accord.web.pages.matrix import MatrixPage
from accord.web.pages.network import NetworkPage
from accord.web.pages.services import ServicesPage

DASHBOARD_PAGES: list[ControllerRouterHandler] = [
    IntegrationsPage,
    ServicesPage,
    MatrixPage,
    EnvironmentsPage,
    ChecksPage,
    FixturesPage,
    NetworkPage,
]
