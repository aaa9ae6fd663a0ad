"""The integrations overview, through its service."""

from __future__ import annotations

from typing import Any

import pytest

from accord.dashboard.overview import IntegrationsOverview
from accord.dashboard.schemas import OverviewFilters
from accord.errors import InvalidInput
from tests.dashboard.story import record_story
from tests.test_can_i_deploy import Broker, interaction


def overview(run: Any, tenant: Any, filters: OverviewFilters | None = None, **paging: int) -> Any:
    async def read() -> Any:
        return await IntegrationsOverview(tenant.id).page(
            filters or OverviewFilters(), page=paging.get("page", 1), page_size=paging.get("page_size", 25)
        )

    return run(read)


def test_every_pair_with_its_verdict_per_main_branch_and_environment(client: Any, run: Any, tenant_a: Any) -> None:
    record_story(client, tenant_a)
    page = overview(run, tenant_a)
    assert page.environments == ["production", "staging"]
    lines = {(line.consumer, line.provider): line for line in page.lines}
    assert list(lines) == [("mobile", "orders"), ("web", "billing"), ("web", "orders")]

    web_orders = lines[("web", "orders")]
    assert web_orders.main_branch.status == "verified"
    assert web_orders.main_branch.provider_version == "2.0.0"
    assert web_orders.main_branch.verified_by == "verification"
    assert web_orders.main_branch.verifier == "pact-verifier"
    assert web_orders.environments["production"].status == "verified"
    assert web_orders.environments["staging"].status == "not-deployed"

    web_billing = lines[("web", "billing")]
    assert web_billing.main_branch.status == "unverified"  # billing's failing version is not on its main branch
    assert web_billing.environments["staging"].status == "failed"
    assert web_billing.environments["staging"].provider_version == "3.1.0"

    mobile_orders = lines[("mobile", "orders")]
    assert mobile_orders.environments["production"].status == "unverified"
    assert mobile_orders.environments["production"].provider_version == "2.0.0"


def test_search_failing_only_environment_and_pages(client: Any, run: Any, tenant_a: Any) -> None:
    record_story(client, tenant_a)
    assert [line.consumer for line in overview(run, tenant_a, OverviewFilters(search="MOB")).lines] == ["mobile"]
    failing = overview(run, tenant_a, OverviewFilters(failing_only=True))
    assert [(line.consumer, line.provider) for line in failing.lines] == [("web", "billing")]
    production = overview(run, tenant_a, OverviewFilters(environment="production"))
    assert production.environments == ["production"]
    assert [(line.consumer, line.provider) for line in production.lines] == [("mobile", "orders"), ("web", "orders")]
    second = overview(run, tenant_a, page=2, page_size=2)
    assert (second.total, second.pages, len(second.lines)) == (3, 2, 1)


def test_bad_filters_are_invalid_input(client: Any, run: Any, tenant_a: Any) -> None:
    for filters, paging in (
        (OverviewFilters(environment="nowhere"), {}),
        (OverviewFilters(), {"page_size": 1000}),
        (OverviewFilters(), {"page": 0}),
    ):
        with pytest.raises(InvalidInput):
            overview(run, tenant_a, filters, **paging)


def test_another_tenants_pairs_are_not_seen(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    record_story(client, tenant_a)
    assert overview(run, tenant_b).lines == []


def test_a_provider_without_versions_still_lists_its_pair(client: Any, run: Any, tenant_a: Any) -> None:
    Broker(client, tenant_a).record(interaction("web", "1", "stock", "/stock/1"))
    page = overview(run, tenant_a)
    assert [(line.consumer, line.provider, line.main_branch.status) for line in page.lines] == [
        ("web", "stock", "unverified")
    ]
    assert page.lines[0].environments == {}
