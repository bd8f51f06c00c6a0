"""Workflow diagrams drawn as SVG from the workflow's own state machine.

The states and edges are read from the ``transitions`` machine that the
engine fires, and the labels from the workflow's step table, so a diagram
always shows the rules the code runs. A record's page highlights its
current state and the steps that may leave it.
"""

from dataclasses import dataclass

from markupsafe import Markup, escape

from web.charts import text_width
from web.diagram_layout import NODE_HEIGHT, layered_layout

FONT_SIZE = 14
LABEL_SIZE = 12
PADDING = 16
# Places along an edge tried in turn for its label until one is free.
LABEL_POSITIONS = (0.5, 0.3, 0.7, 0.2, 0.8)


@dataclass(frozen=True)
class Edge:
    """One transition of the machine: a step from ``source`` to ``dest``."""

    trigger: str
    source: object
    dest: object
    label: str
    interactive: bool = True


def machine_edges(workflow):
    """Return every transition of ``workflow``'s machine, in declared order.

    Steps that are not interactive (a spreadsheet import, say) are marked,
    so the diagram draws them as batch paths rather than user actions.
    """
    machine = workflow.machine
    edges = []
    for trigger, event in machine.events.items():
        for transitions in event.transitions.values():
            for transition in transitions:
                step = workflow.step(trigger)
                edges.append(
                    Edge(
                        trigger,
                        machine.get_state(transition.source).value,
                        machine.get_state(transition.dest).value,
                        str(step.label),
                        step.interactive,
                    )
                )
    return edges


def workflow_diagram(workflow, current=None):
    """Return the SVG diagram of ``workflow``, highlighting state ``current``."""
    states = [machine_state.value for machine_state in _machine_states(workflow)]
    edges = machine_edges(workflow)
    layout = layered_layout(
        {state: text_width(state.label, FONT_SIZE) + 32 for state in states},
        [((edge.trigger, edge.source), edge.source, edge.dest) for edge in edges],
    )
    finals = set(workflow.final_states)
    ports = _ports(layout)
    drawn_edges, labels, labelled = [], [], set()
    occupied = [_node_box(node) for node in layout.nodes.values()]
    for edge, routed in zip(edges, layout.edges, strict=True):
        path = _edge_path(routed, layout, ports)
        kind = _edge_kind(edge, current)
        drawn_edges.append(
            f'<path d="{path.d}" class="edge {kind}" '
            f'marker-end="url(#{workflow.name}-arrow-{kind})" '
            f'data-trigger="{escape(edge.trigger)}"/>'
        )
        # One step that leaves many states (withdrawal, say) is labelled
        # once; its other edges end in the same state and need no label.
        if (edge.trigger, edge.dest) not in labelled:
            labelled.add((edge.trigger, edge.dest))
            labels.append(_edge_label(edge.label, path, occupied, kind))
    nodes = [
        _node(node, state, current, finals) for state, node in layout.nodes.items()
    ]
    return _svg(workflow, occupied, drawn_edges + labels + nodes)


def _edge_kind(edge, current):
    if not edge.interactive:
        return "batch"
    return "next" if current is not None and edge.source is current else "plain"


def _machine_states(workflow):
    return [workflow.machine.get_state(name) for name in workflow.machine.states]


def _node_box(node):
    return (
        node.x - node.width / 2,
        node.y - NODE_HEIGHT / 2,
        node.x + node.width / 2,
        node.y + NODE_HEIGHT / 2,
    )


def _node(node, state, current, finals):
    classes = ["state"]
    if state is current:
        classes.append("current")
    if state in finals:
        classes.append("final")
    left, top, _right, _bottom = _node_box(node)
    return (
        f'<g class="{" ".join(classes)}" data-state="{state.value}">'
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{node.width:.1f}" '
        f'height="{NODE_HEIGHT}" rx="8"/>'
        f'<text x="{node.x:.1f}" y="{node.y + FONT_SIZE * 0.35:.1f}" '
        f'text-anchor="middle">{escape(state.label)}</text></g>'
    )


def _ports(layout):
    # Spread the edges that leave or reach one side of a node across the
    # middle of that side, ordered by where their other end lies.
    sides = {}
    for routed in layout.edges:
        points = routed.points
        if routed.source == routed.dest:
            continue
        for end, neighbour in ((0, 1), (-1, -2)):
            node = routed.source if end == 0 else routed.dest
            side = "bottom" if points[neighbour][1] > points[end][1] else "top"
            sides.setdefault((node, side), []).append(
                (points[neighbour][0], routed, end)
            )
    offsets = {}
    for (node, _side), attached in sides.items():
        width = layout.nodes[node].width * 0.6
        attached.sort(key=lambda item: item[0])
        for index, (_x, routed, end) in enumerate(attached):
            share = (index + 1) / (len(attached) + 1) - 0.5
            offsets[(id(routed), end)] = share * width
    return offsets


@dataclass(frozen=True)
class _Path:
    d: str
    segments: list
    is_loop: bool = False


def _edge_path(routed, layout, ports):
    points = list(routed.points)
    if routed.source == routed.dest:
        return _self_loop(layout.nodes[routed.source])
    for end, neighbour in ((0, 1), (-1, -2)):
        x, y = points[end]
        below = points[neighbour][1] > y
        x += ports[(id(routed), end)]
        y += NODE_HEIGHT / 2 if below else -NODE_HEIGHT / 2
        points[end] = (x, y)
    segments = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        middle = (y1 + y2) / 2
        segments.append(((x1, y1), (x1, middle), (x2, middle), (x2, y2)))
    d = f"M{points[0][0]:.1f},{points[0][1]:.1f}" + "".join(
        f" C{a[0]:.1f},{a[1]:.1f} {b[0]:.1f},{b[1]:.1f} {c[0]:.1f},{c[1]:.1f}"
        for _start, a, b, c in segments
    )
    return _Path(d, segments)


def _self_loop(node):
    right = node.x + node.width / 2
    top, bottom = node.y - 8, node.y + 8
    segment = (
        (right, top),
        (right + 40, top - 20),
        (right + 40, bottom + 20),
        (right, bottom),
    )
    d = (
        f"M{right:.1f},{top:.1f} C{right + 40:.1f},{top - 20:.1f} "
        f"{right + 40:.1f},{bottom + 20:.1f} {right:.1f},{bottom:.1f}"
    )
    return _Path(d, [segment], is_loop=True)


def _bezier_point(segment, t):
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = segment
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return x, y


def _overlaps(box, boxes):
    left, top, right, bottom = box
    return any(
        left < b_right and b_left < right and top < b_bottom and b_top < bottom
        for b_left, b_top, b_right, b_bottom in boxes
    )


def _edge_label(label, path, occupied, kind):
    segment = path.segments[len(path.segments) // 2]
    width, height = text_width(label, LABEL_SIZE) + 8, LABEL_SIZE + 6
    for t in LABEL_POSITIONS:
        x, y = _bezier_point(segment, t)
        if path.is_loop:
            # Beside the loop, clear of the node it starts from.
            x += width / 2 + 4
        box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        if not _overlaps(box, occupied):
            break
    occupied.append(box)
    return (
        f'<g class="edge-label {kind}"><rect x="{box[0]:.1f}" y="{box[1]:.1f}" '
        f'width="{width:.1f}" height="{height}" rx="3"/>'
        f'<text x="{x:.1f}" y="{y + LABEL_SIZE * 0.35:.1f}" text-anchor="middle">'
        f"{escape(label)}</text></g>"
    )


def _svg(workflow, boxes, parts):
    left = min(box[0] for box in boxes) - PADDING
    top = min(box[1] for box in boxes) - PADDING
    width = max(box[2] for box in boxes) + PADDING - left
    height = max(box[3] for box in boxes) + PADDING - top
    title = escape(workflow.label)
    markers = "".join(
        f'<marker id="{workflow.name}-arrow-{kind}" viewBox="0 0 10 10" refX="9" '
        'refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" '
        'orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" class="arrow {kind}"/></marker>'
        for kind in ("plain", "next", "batch")
    )
    return Markup(
        f'<svg class="workflow-diagram" viewBox="{left:.0f} {top:.0f} {width:.0f} '
        f'{height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img" '
        f'aria-label="{title}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{title}</title><defs>{markers}</defs>{''.join(parts)}</svg>"
    )
