"""The service page, environments board and network, through their services."""

from __future__ import annotations

from typing import Any

import pytest

from accord.dashboard.environments_board import EnvironmentsBoard
from accord.dashboard.network import NetworkService
from accord.dashboard.network_layout import edge_lines, layers_of, layout
from accord.dashboard.service_page import ServicePageService
from accord.errors import NotFound
from tests.dashboard.story import record_story


def test_service_page_gathers_versions_contracts_deployments_and_timeline(client: Any, run: Any, tenant_a: Any) -> None:
    record_story(client, tenant_a)
    page = run(lambda: ServicePageService(tenant_a.id).page("orders", versions_cursor=None, timeline_cursor=None))
    assert page.service.name == "orders"
    assert [v.number for v in page.versions.items] == ["2.0.0"]
    assert page.versions.items[0].branches == ["main"]
    assert page.as_consumer == []
    assert [(line.consumer, line.main_branch.status) for line in page.as_provider] == [
        ("mobile", "unverified"),
        ("web", "verified"),
    ]
    assert [(d.environment, d.version) for d in page.deployed] == [("production", "2.0.0")]
    assert {event.kind for event in page.timeline.items} >= {"version-created", "deployed", "verified"}


def test_service_page_of_unknown_or_other_tenants_service_is_not_found(
    client: Any, run: Any, tenant_a: Any, tenant_b: Any
) -> None:
    record_story(client, tenant_a)
    with pytest.raises(NotFound):
        run(lambda: ServicePageService(tenant_b.id).page("orders", versions_cursor=None, timeline_cursor=None))


def test_environments_board_lists_what_runs_where(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    record_story(client, tenant_a)
    columns = run(EnvironmentsBoard(tenant_a.id).columns)
    assert [(c.name, sorted(d.service for d in c.deployed)) for c in columns] == [
        ("production", ["orders", "web"]),
        ("staging", ["billing"]),
    ]
    assert run(EnvironmentsBoard(tenant_b.id).columns) == []


def test_network_edges_carry_status_and_nodes_their_worst(client: Any, run: Any, tenant_a: Any) -> None:
    record_story(client, tenant_a)
    network = run(NetworkService(tenant_a.id).network)
    assert {(e.consumer, e.provider): e.status for e in network.edges} == {
        ("mobile", "orders"): "unverified",
        ("web", "billing"): "failed",
        ("web", "orders"): "verified",
    }
    assert {n.name: n.status for n in network.nodes}["web"] == "failed"
    placed = network.layout.nodes
    assert placed["web"].layer == placed["mobile"].layer == 0
    assert placed["orders"].layer == placed["billing"].layer == 1


def test_layout_is_deterministic_layered_and_survives_cycles() -> None:
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "b")]
    assert layout(["d", "c", "b", "a"], edges) == layout(["a", "b", "c", "d"], list(reversed(edges)))
    layers = layers_of(["a", "b", "c", "d"], edges)
    assert max(layers.values()) < 4
    chain = layers_of(["x", "y", "z"], [("x", "y"), ("y", "z")])
    assert chain == {"x": 0, "y": 1, "z": 2}
    drawn = layout(["x", "y", "z"], [("x", "y"), ("y", "z")])
    assert len({node.y for node in drawn.nodes.values()}) == 3
    assert all(0 <= node.x < drawn.width and 0 <= node.y < drawn.height for node in drawn.nodes.values())


def test_edges_into_one_service_do_not_share_a_point() -> None:
    edges = [("a", "c"), ("b", "c"), ("c", "d")]
    lines = edge_lines(layout(["a", "b", "c", "d"], edges), edges)
    assert lines[0].x2 != lines[1].x2
    assert lines[0].y2 == lines[1].y2
    assert all(line.downwards for line in lines)
    assert not edge_lines(layout(["a", "b"], [("a", "b"), ("b", "a")]), [("a", "b"), ("b", "a")])[1].downwards
