"""A deterministic layered layout of the consumer -> provider graph, computed in Python for a server-rendered SVG.

Layer = longest chain of consumers above a service (pure consumers on top, providers below them); a cycle is cut
at the edge that would lift a service past the number of services. Within a layer, services are ordered by the
mean position of their consumers (one barycentre sweep), then by name, so the same graph always draws the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

NODE_WIDTH = 150
NODE_HEIGHT = 36
COLUMN_GAP = 30
LAYER_GAP = 110
MARGIN = 20


class PlacedNode(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    x: int
    y: int
    layer: int


class Layout(msgspec.Struct, frozen=True, kw_only=True):
    nodes: dict[str, PlacedNode]
    width: int
    height: int


def layers_of(names: Sequence[str], edges: Sequence[tuple[str, str]]) -> dict[str, int]:
    layer = dict.fromkeys(names, 0)
    # Bellman-Ford style relaxation, bounded: at most len(names) rounds, so a cycle cannot loop forever.
    for _ in range(len(names)):
        changed = False
        for consumer, provider in edges:
            if consumer != provider and layer[provider] < layer[consumer] + 1 < len(names):
                layer[provider] = layer[consumer] + 1
                changed = True
        if not changed:
            break
    return layer


def layout(names: Sequence[str], edges: Sequence[tuple[str, str]]) -> Layout:
    layer = layers_of(sorted(names), sorted(edges))
    rows: dict[int, list[str]] = {}
    for name in sorted(names):
        rows.setdefault(layer[name], []).append(name)
    consumers_of: dict[str, list[str]] = {}
    for consumer, provider in edges:
        consumers_of.setdefault(provider, []).append(consumer)
    index: dict[str, int] = {}
    for depth in sorted(rows):
        row = rows[depth]
        if depth > 0:

            def barycentre(name: str) -> tuple[float, str]:
                above = [index[c] for c in consumers_of.get(name, []) if c in index]
                return (sum(above) / len(above) if above else float("inf"), name)

            row.sort(key=barycentre)
        for position, name in enumerate(row):
            index[name] = position
    widest = max((len(row) for row in rows.values()), default=0)
    width = 2 * MARGIN + widest * NODE_WIDTH + max(widest - 1, 0) * COLUMN_GAP
    placed = {}
    for depth, row in rows.items():
        row_width = len(row) * NODE_WIDTH + (len(row) - 1) * COLUMN_GAP
        left = (width - row_width) // 2
        for position, name in enumerate(row):
            placed[name] = PlacedNode(
                name=name,
                x=left + position * (NODE_WIDTH + COLUMN_GAP),
                y=MARGIN + depth * (NODE_HEIGHT + LAYER_GAP),
                layer=depth,
            )
    height = 2 * MARGIN + (max(rows, default=0) + 1) * (NODE_HEIGHT + LAYER_GAP) - LAYER_GAP if rows else 2 * MARGIN
    return Layout(nodes=placed, width=width, height=height)


class EdgeLine(msgspec.Struct, frozen=True, kw_only=True):
    """Where an edge is drawn: from a port on the consumer's bottom to one on the provider's top (downwards), or
    as a curve out to the side when it does not point down (a cycle, or two services of one layer)."""

    x1: int
    y1: int
    x2: int
    y2: int
    downwards: bool


def edge_lines(drawn: Layout, edges: Sequence[tuple[str, str]]) -> list[EdgeLine]:
    """One line per edge, in the order given; the edges leaving (entering) a node get evenly spread ports along
    its bottom (top), ordered by the other end's position, so arrows into one node never share a point."""
    nodes = drawn.nodes
    outgoing: dict[str, list[int]] = {}
    incoming: dict[str, list[int]] = {}
    for index, (consumer, provider) in enumerate(edges):
        outgoing.setdefault(consumer, []).append(index)
        incoming.setdefault(provider, []).append(index)

    def ports(groups: dict[str, list[int]], other_end: int) -> dict[int, int]:
        placed: dict[int, int] = {}
        for name, indexes in groups.items():
            indexes.sort(key=lambda i: (nodes[edges[i][other_end]].x, edges[i][other_end]))
            for rank, index in enumerate(indexes, start=1):
                placed[index] = nodes[name].x + NODE_WIDTH * rank // (len(indexes) + 1)
        return placed

    starts, ends = ports(outgoing, 1), ports(incoming, 0)
    lines = []
    for index, (consumer, provider) in enumerate(edges):
        source, target = nodes[consumer], nodes[provider]
        if source.layer < target.layer:
            lines.append(
                EdgeLine(x1=starts[index], y1=source.y + NODE_HEIGHT, x2=ends[index], y2=target.y, downwards=True)
            )
        else:
            middle = NODE_HEIGHT // 2
            lines.append(
                EdgeLine(
                    x1=source.x + NODE_WIDTH,
                    y1=source.y + middle,
                    x2=target.x + NODE_WIDTH,
                    y2=target.y + middle,
                    downwards=False,
                )
            )
    return lines
