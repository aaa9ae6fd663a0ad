"""The network of services and their integrations as a server-rendered SVG, with a table saying the same."""

from __future__ import annotations

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.response import Template

from accord.dashboard.network import NetworkService
from accord.dashboard.network_layout import NODE_HEIGHT, NODE_WIDTH
from accord.web.viewer import Viewer


class NetworkPage(Controller):
    path = "/ui/network"

    @get("/", name="network")
    async def network(self, viewer: NamedDependency[Viewer]) -> Template:
        network = await NetworkService(viewer.tenant_id).network()
        return Template(
            template_name="pages/network.html",
            context={"network": network, "node_width": NODE_WIDTH, "node_height": NODE_HEIGHT},
        )
