"""The network of services and integrations, with each edge's status and a node's worst status."""

from __future__ import annotations

from typing import Literal

import msgspec

from accord.dashboard.network_layout import EdgeLine, Layout, edge_lines, layout
from accord.dashboard.overview import IntegrationsOverview
from accord.dashboard.schemas import IntegrationLine
from accord.tenant_ids import TenantId

EdgeStatus = Literal["verified", "failed", "unverified"]


class NetworkEdge(msgspec.Struct, frozen=True, kw_only=True):
    consumer: str
    provider: str
    status: EdgeStatus
    consumer_version: str


class NetworkNode(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    status: EdgeStatus  # the worst status of its integrations
    consumes: int
    provides: int


class Network(msgspec.Struct, frozen=True, kw_only=True):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    layout: Layout
    lines: list[EdgeLine]  # where each edge of `edges` is drawn, in the same order


def edge_status(line: IntegrationLine) -> EdgeStatus:
    """Failed anywhere it runs or on main is failed; else verified when main or an environment verified it."""
    if line.failing:
        return "failed"
    verdicts = [line.main_branch, *line.environments.values()]
    return "verified" if any(v.status == "verified" for v in verdicts) else "unverified"


_RANK: dict[EdgeStatus, int] = {"verified": 0, "unverified": 1, "failed": 2}


class NetworkService:
    def __init__(self, tenant: TenantId) -> None:
        self.overview = IntegrationsOverview(tenant)

    async def network(self) -> Network:
        lines = await self.overview.all_lines()
        edges = [
            NetworkEdge(
                consumer=line.consumer,
                provider=line.provider,
                status=edge_status(line),
                consumer_version=line.consumer_version,
            )
            for line in lines
        ]
        names = sorted({e.consumer for e in edges} | {e.provider for e in edges})
        nodes = []
        for name in names:
            touching = [e for e in edges if name in (e.consumer, e.provider)]
            worst: EdgeStatus = max((e.status for e in touching), key=_RANK.__getitem__, default="unverified")
            nodes.append(
                NetworkNode(
                    name=name,
                    status=worst,
                    consumes=sum(e.consumer == name for e in edges),
                    provides=sum(e.provider == name for e in edges),
                )
            )
        pairs = [(e.consumer, e.provider) for e in edges]
        drawn = layout(names, pairs)
        return Network(nodes=nodes, edges=edges, layout=drawn, lines=edge_lines(drawn, pairs))
