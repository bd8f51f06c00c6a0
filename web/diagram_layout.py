"""Layered layout of a small directed graph, for workflow diagrams.

The steps follow the usual Sugiyama scheme, kept simple for graphs of a few
dozen nodes: edges that close a cycle are reversed, nodes get the rank of
their longest path from a start node, long edges pass through virtual
nodes, barycenter sweeps reduce crossings, and nodes are pulled toward
their neighbours without overlapping. Ranks run from top to bottom.
"""

from dataclasses import dataclass, field

NODE_HEIGHT = 36
RANK_GAP = 84
NODE_GAP = 36
VIRTUAL_WIDTH = 12
SWEEPS = 6


@dataclass
class LayoutNode:
    """A node to place; ``virtual`` nodes carry long edges across ranks."""

    key: object
    width: float
    virtual: bool = False
    rank: int = 0
    x: float = 0.0

    @property
    def y(self):
        return self.rank * (NODE_HEIGHT + RANK_GAP) + NODE_HEIGHT / 2


@dataclass
class LayoutEdge:
    """An edge from ``source`` to ``dest`` and the points it passes through."""

    key: object
    source: object
    dest: object
    reversed: bool = False
    chain: list = field(default_factory=list)
    points: list = field(default_factory=list)


@dataclass
class Layout:
    """Placed nodes by key, routed edges in input order, and the total size."""

    nodes: dict
    edges: list
    width: float
    height: float


def layered_layout(nodes, edges):
    """Place ``nodes`` ({key: width}) and route ``edges`` [(key, source, dest)].

    Nodes keep their given order where nothing better is found, so the first
    node is the start of the flow.
    """
    placed = {key: LayoutNode(key, width) for key, width in nodes.items()}
    routed = [LayoutEdge(key, source, dest) for key, source, dest in edges]
    _reverse_back_edges(list(nodes), routed)
    _assign_ranks(placed, routed)
    ranks = _insert_virtual_nodes(placed, routed)
    _order_ranks(ranks, routed)
    _place_horizontally(ranks, routed)
    width = _normalize(placed)
    for edge in routed:
        edge.points = [(placed[key].x, placed[key].y) for key in edge.chain]
    height = len(ranks) * (NODE_HEIGHT + RANK_GAP) - RANK_GAP
    real = {key: node for key, node in placed.items() if not node.virtual}
    return Layout(real, routed, width, height)


def _reverse_back_edges(order, edges):
    outgoing = {key: [] for key in order}
    for edge in edges:
        outgoing[edge.source].append(edge)
    state = {}

    def visit(key):
        state[key] = "open"
        for edge in outgoing[key]:
            if state.get(edge.dest) == "open":
                edge.reversed = True
            elif edge.dest not in state:
                visit(edge.dest)
        state[key] = "done"

    for key in order:
        if key not in state:
            visit(key)


def _forward(edge):
    # Direction used for ranking: back edges count as if they pointed down.
    return (edge.dest, edge.source) if edge.reversed else (edge.source, edge.dest)


def _assign_ranks(placed, edges):
    incoming = {key: [] for key in placed}
    for edge in edges:
        upper, lower = _forward(edge)
        if upper != lower:
            incoming[lower].append(upper)
    done = set()

    def rank_of(key):
        if key not in done:
            done.add(key)
            ranks = [rank_of(upper) + 1 for upper in incoming[key]]
            placed[key].rank = max(ranks, default=0)
        return placed[key].rank

    for key in placed:
        rank_of(key)


def _insert_virtual_nodes(placed, edges):
    for edge in edges:
        upper, lower = _forward(edge)
        chain = [upper]
        for rank in range(placed[upper].rank + 1, placed[lower].rank):
            virtual = LayoutNode((edge.key, rank), VIRTUAL_WIDTH, True, rank)
            placed[virtual.key] = virtual
            chain.append(virtual.key)
        chain.append(lower)
        edge.chain = list(reversed(chain)) if edge.reversed else chain
    ranks = [[] for _ in range(max(node.rank for node in placed.values()) + 1)]
    for node in placed.values():
        ranks[node.rank].append(node)
    return ranks


def _neighbours(edges):
    above, below = {}, {}
    for edge in edges:
        chain = edge.chain if not edge.reversed else list(reversed(edge.chain))
        for upper, lower in zip(chain, chain[1:], strict=False):
            below.setdefault(upper, []).append(lower)
            above.setdefault(lower, []).append(upper)
    return above, below


def _order_ranks(ranks, edges):
    above, below = _neighbours(edges)
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        sequence = ranks[1:] if downward else list(reversed(ranks[:-1]))
        for rank in sequence:
            links = above if downward else below
            _sort_by_barycenter(rank, links, ranks)


def _sort_by_barycenter(rank, links, ranks):
    position = {node.key: index for row in ranks for index, node in enumerate(row)}

    def barycenter(item):
        index, node = item
        linked = [position[key] for key in links.get(node.key, [])]
        return sum(linked) / len(linked) if linked else index

    rank[:] = [node for _index, node in sorted(enumerate(rank), key=barycenter)]


def _place_horizontally(ranks, edges):
    for rank in ranks:
        x = 0.0
        for node in rank:
            node.x = x + node.width / 2
            x += node.width + NODE_GAP
    above, below = _neighbours(edges)
    by_key = {node.key: node for rank in ranks for node in rank}
    for sweep in range(SWEEPS):
        links = above if sweep % 2 == 0 else below
        for rank in ranks if sweep % 2 == 0 else reversed(ranks):
            _pull_toward_neighbours(rank, links, by_key)


def _pull_toward_neighbours(rank, links, by_key):
    for node in rank:
        linked = [by_key[key].x for key in links.get(node.key, [])]
        if linked:
            node.x = sum(linked) / len(linked)
    wanted = sum(node.x for node in rank) / len(rank)
    # Push overlapping nodes to the right, keeping the row's order, then
    # shift the whole row back so its centre stays where the pull put it.
    for left, right in zip(rank, rank[1:], strict=False):
        least = left.x + (left.width + right.width) / 2 + NODE_GAP
        right.x = max(right.x, least)
    shift = wanted - sum(node.x for node in rank) / len(rank)
    for node in rank:
        node.x += shift


def _normalize(placed):
    left = min(node.x - node.width / 2 for node in placed.values())
    for node in placed.values():
        node.x -= left
    return max(node.x + node.width / 2 for node in placed.values())
