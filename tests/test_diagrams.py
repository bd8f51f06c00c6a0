"""Workflow diagrams: drawn from the machine, current state highlighted."""

import enum
import itertools
import xml.etree.ElementTree as ElementTree

import pytest

from web.diagram_layout import NODE_GAP, layered_layout
from web.diagrams import machine_edges, workflow_diagram
from workflow.models import Role
from workflow.states.base import Step, Workflow
from workflow.states.counselor import COUNSELOR_WORKFLOW, CounselorState
from workflow.states.service_center import CENTER_WORKFLOW

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    return ElementTree.fromstring(str(markup))


def _nodes(svg):
    return {g.get("data-state"): g for g in svg.iter(f"{SVG}g") if g.get("data-state")}


def _edge_triggers(svg):
    return sorted(
        p.get("data-trigger") for p in svg.iter(f"{SVG}path") if p.get("data-trigger")
    )


def test_diagram_has_every_state(app_context):
    svg = _parse(workflow_diagram(COUNSELOR_WORKFLOW))

    nodes = _nodes(svg)
    assert set(nodes) == {state.value for state in CounselorState}
    assert nodes["appointed"].find(f"{SVG}text").text == "已聘任"


def test_diagram_has_every_transition(app_context):
    svg = _parse(workflow_diagram(COUNSELOR_WORKFLOW))

    expected = sorted(
        step.trigger for step in COUNSELOR_WORKFLOW.steps.values() for _ in step.sources
    )
    assert _edge_triggers(svg) == expected


def test_current_state_and_next_steps_highlighted(app_context):
    svg = _parse(workflow_diagram(COUNSELOR_WORKFLOW, CounselorState.UNDER_REVIEW))

    nodes = _nodes(svg)
    assert "current" in nodes["under_review"].get("class")
    assert "current" not in nodes["nominated"].get("class")
    highlighted = sorted(
        p.get("data-trigger")
        for p in svg.iter(f"{SVG}path")
        if p.get("data-trigger") and "next" in p.get("class")
    )
    assert highlighted == ["approve", "reject", "return_for_revision"]


def test_final_states_marked(app_context):
    nodes = _nodes(_parse(workflow_diagram(COUNSELOR_WORKFLOW)))

    final = {state for state, g in nodes.items() if "final" in g.get("class")}
    assert final == {"rejected", "transferred_out"}


class Ticket(enum.Enum):
    OPEN = "open"
    DONE = "done"
    ARCHIVED = "archived"

    @property
    def label(self):
        return self.value


def test_diagram_follows_a_changed_machine(app_context):
    anyone = frozenset({Role.REVIEWER})
    steps = [Step("finish", (Ticket.OPEN,), Ticket.DONE, anyone, "finish")]
    before = Workflow("ticket_a", Ticket, steps)
    after = Workflow(
        "ticket_b",
        Ticket,
        steps + [Step("archive", (Ticket.DONE,), Ticket.ARCHIVED, anyone, "archive")],
    )

    assert _edge_triggers(_parse(workflow_diagram(before))) == ["finish"]
    assert _edge_triggers(_parse(workflow_diagram(after))) == ["archive", "finish"]


def test_machine_edges_read_states_as_enums(app_context):
    edges = machine_edges(COUNSELOR_WORKFLOW)

    nominate = [edge for edge in edges if edge.trigger == "nominate"]
    assert {edge.source for edge in nominate} == {
        CounselorState.DRAFT,
        CounselorState.RETURNED,
    }
    assert all(edge.dest is CounselorState.NOMINATED for edge in nominate)


def test_layout_ranks_follow_edges():
    layout = layered_layout(
        {"a": 40, "b": 40, "c": 40, "d": 40},
        [("ab", "a", "b"), ("bc", "b", "c"), ("ca", "c", "a"), ("ad", "a", "d")],
    )

    ranks = {key: round(node.y) for key, node in layout.nodes.items()}
    assert ranks["a"] < ranks["b"] < ranks["c"]
    assert ranks["d"] > ranks["a"]
    back = next(edge for edge in layout.edges if edge.key == "ca")
    assert back.reversed
    assert back.points[0][1] > back.points[-1][1]


def test_layout_keeps_nodes_apart():
    widths = {f"n{i}": 60 + 10 * i for i in range(6)}
    edges = [(f"e{i}", "n0", f"n{i}") for i in range(1, 6)]

    layout = layered_layout(widths, edges)

    row = sorted(
        (node for key, node in layout.nodes.items() if key != "n0"),
        key=lambda node: node.x,
    )
    for left, right in itertools.pairwise(row):
        gap = (right.x - right.width / 2) - (left.x + left.width / 2)
        assert gap >= NODE_GAP - 0.01


@pytest.mark.parametrize(
    "state", ["nominated", "under_review", "returned", "public_notice", "appointed"]
)
def test_record_page_highlights_state(nominate_counselor, make_user, sign_in, state):
    record = nominate_counselor("420525", state)
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = client.get(f"/counselors/{record.id}").get_data(as_text=True)

    highlighted = page.split('<g class="state current')[1].split(">")[0]
    assert page.count('<g class="state current') == 1
    assert f'data-state="{state}"' in highlighted


def test_help_page_lists_steps(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = client.get("/help/workflows/counselor").get_data(as_text=True)

    for step in COUNSELOR_WORKFLOW.steps.values():
        assert str(step.label) in page
    assert '<svg class="workflow-diagram"' in page


def test_help_index_links_each_workflow(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = client.get("/help/workflows").get_data(as_text=True)

    assert 'href="/help/workflows/counselor"' in page


def test_help_page_of_unknown_workflow_is_404(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.get("/help/workflows/nothing")

    assert response.status_code == 404


def test_step_from_many_states_labelled_once(app_context):
    svg = _parse(workflow_diagram(CENTER_WORKFLOW))

    withdrawals = [t for t in _edge_triggers(svg) if t == "withdraw"]
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text == "主动退出"]
    assert len(withdrawals) == len(CENTER_WORKFLOW.step("withdraw").sources)
    assert labels == ["主动退出"]


def test_self_loop_is_drawn(app_context):
    svg = _parse(workflow_diagram(CENTER_WORKFLOW))

    assert "pass_evaluation" in _edge_triggers(svg)


def test_import_step_drawn_as_batch_not_next_action(app_context):
    svg = _parse(workflow_diagram(COUNSELOR_WORKFLOW, CounselorState.DRAFT))

    edges = {
        (p.get("data-trigger"), p.get("class"))
        for p in svg.iter(f"{SVG}path")
        if p.get("data-trigger") in ("import_appointed", "nominate")
    }
    assert ("import_appointed", "edge batch") in edges
    assert ("import_appointed", "edge next") not in edges
    assert ("nominate", "edge next") in edges
