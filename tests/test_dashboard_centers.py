"""Service centers on the dashboards: filed count, queue and weekly flow."""

import io
from datetime import date, datetime

import pytest

from tests.helpers import PDF_BYTES, PNG_BYTES, application_values
from workflow import engine, queue_health, service_centers, supervision
from workflow.dashboards import build_dashboard
from workflow.models import Role, ServiceCenter
from workflow.states.service_center import CenterState

TODAY = date(2026, 4, 20)


class Upload:
    """A file as the forms hand it to the services."""

    def __init__(self, filename, content):
        self.filename = filename
        self.stream = io.BytesIO(content)


def _application(applicant):
    center = service_centers.create_application(applicant, application_values())
    for kind, upload in (
        ("registration_certificate", Upload("执照.pdf", PDF_BYTES)),
        ("premises_proof", Upload("场所.png", PNG_BYTES)),
    ):
        service_centers.add_attachment(applicant, center.id, kind, upload)
    return center


def _walk(center, *steps):
    for trigger, actor in steps:
        center = engine.fire(ServiceCenter, center.id, trigger, actor)
    return center


@pytest.fixture
def centers(make_user, make_applicant, frozen_clock):
    """In 远安县: one filed, one ordered to rectify by 1 April, one submitted."""
    reviewer = make_user("420525", Role.REVIEWER, Role.LEADER)
    frozen_clock(datetime(2026, 3, 2, 9, 0))
    filed_steps = (("start_review", reviewer), ("file", reviewer))
    first, second, third = (make_applicant() for _ in range(3))
    filed = _walk(_application(first), ("submit", first), *filed_steps)
    rectifying = _walk(_application(second), ("submit", second), *filed_steps)
    frozen_clock(datetime(2026, 3, 9, 9, 0))
    rectifying = supervision.order_rectification(
        reviewer, rectifying.id, date(2026, 4, 1), "价格未公示", rectifying.version
    )
    submitted = _walk(_application(third), ("submit", third))
    frozen_clock(datetime.combine(TODAY, datetime.min.time()))
    return filed, rectifying, submitted


def test_filed_list_counts_rectifying_centers(centers, make_user):
    user = make_user("420500", Role.SUPERVISOR)

    dashboard = build_dashboard(user, user.department, TODAY)

    rows = {row.department.code: row for row in dashboard.rows}
    assert dashboard.figure("service_centers").value == 2
    assert rows["420525"].figure("service_centers").value == 2
    assert rows["420526"].figure("service_centers").value == 0


def test_center_queue_uses_rectification_deadline(centers, department):
    items = queue_health.waiting_items(department("420525"))

    by_state = {item.state: item for item in items}
    assert set(by_state) == {CenterState.RECTIFYING, CenterState.SUBMITTED}
    assert by_state[CenterState.RECTIFYING].due_on == date(2026, 4, 1)
    # Submitted on 9 March: five working days later is 16 March.
    assert by_state[CenterState.SUBMITTED].due_on == date(2026, 3, 16)
    assert queue_health.summarize(items, TODAY).past_due == 2


def test_filed_center_is_not_waiting(centers, department):
    items = queue_health.waiting_items(department("420525"))

    assert CenterState.FILED not in {item.state for item in items}


def test_weekly_flow_counts_filings_and_orders(centers, department):
    weeks = queue_health.weekly_flow(department("420525"), TODAY, 8)

    flow = {week.starts_on: (week.arrived, week.completed) for week in weeks}
    # Week of 2 March: two submissions in, two filings out. Week of 9
    # March: an order to rectify and a submission in.
    assert flow[date(2026, 3, 2)] == (2, 2)
    assert flow[date(2026, 3, 9)] == (2, 0)


def test_dashboard_states_name_their_workflow(centers, make_user):
    user = make_user("420525", Role.SUPERVISOR)

    dashboard = build_dashboard(user, user.department, TODAY)

    labels = [(str(row.workflow.label), row.state) for row in dashboard.queue_by_state]
    assert labels == [
        ("服务中心备案与监督流程", CenterState.SUBMITTED),
        ("服务中心备案与监督流程", CenterState.RECTIFYING),
    ]


def test_center_page_highlights_state(centers, make_user, sign_in):
    filed = centers[0]
    client = sign_in(make_user("420525", Role.REVIEWER))

    page = client.get(f"/centers/{filed.id}").get_data(as_text=True)

    highlighted = page.split('<g class="state current')[1].split(">")[0]
    assert 'data-state="filed"' in highlighted
