"""Annual report status of each child department on the dashboard."""

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from workflow import engine
from workflow.annual_reports import report_for
from workflow.dashboards import build_dashboard, load_department
from workflow.demo import seed_demo
from workflow.extensions import db
from workflow.models import AnnualReport, Role
from workflow.states.annual_report import AnnualReportState as S

SUBMITTED_AT = datetime(2026, 3, 2, 9, 0)
TODAY = datetime(2026, 4, 1, 9, 0)
# 宜昌市 has thirteen counties and districts.
YICHANG_CHILDREN = 13


@pytest.fixture
def yichang_reports(make_user, frozen_clock):
    """Put four counties of 宜昌市 at four report states for 2025."""
    frozen_clock(SUBMITTED_AT)
    parent = make_user("420500", Role.REVIEWER)
    accepted = _walk(make_user, "420525", ["start", "submit"])
    engine.fire(AnnualReport, accepted.id, "accept", parent)
    returned = _walk(make_user, "420526", ["start", "submit"])
    engine.fire(AnnualReport, returned.id, "return_report", parent, comment="补充")
    _walk(make_user, "420527", ["start", "submit"])
    _walk(make_user, "420528", ["start"])
    # The prefecture's own report, which its dashboard must not count.
    _walk(make_user, "420500", ["start"])
    frozen_clock(TODAY)


def _walk(make_user, code, triggers):
    admin = make_user(code, Role.REGISTRY_ADMIN)
    report = report_for(admin.department, 2025)
    db.session.commit()
    for trigger in triggers:
        report = engine.fire(AnnualReport, report.id, trigger, admin)
    return report


def _dashboard(make_user, code):
    user = make_user(code, Role.SUPERVISOR)
    return build_dashboard(user, load_department(user, code), TODAY.date())


def _reports_by_code(dashboard):
    return {row.department.code: row.report for row in dashboard.rows if not row.is_own}


def test_rows_carry_child_report_states(yichang_reports, make_user):
    reports = _reports_by_code(_dashboard(make_user, "420500"))

    assert reports["420525"].state is S.ACCEPTED
    assert reports["420526"].state is S.RETURNED
    assert reports["420527"].state is S.SUBMITTED
    assert reports["420528"].state is S.IN_PROGRESS
    assert reports["420581"].state is S.NOT_STARTED
    assert reports["420525"].year == 2025


def test_rows_carry_submission_dates(yichang_reports, make_user):
    reports = _reports_by_code(_dashboard(make_user, "420500"))

    assert reports["420525"].submitted_at == SUBMITTED_AT
    assert reports["420527"].submitted_at == SUBMITTED_AT
    assert reports["420528"].submitted_at is None
    assert reports["420581"].submitted_at is None


def test_counts_cover_every_state(yichang_reports, make_user):
    counts = dict(_dashboard(make_user, "420500").report_counts)

    assert list(counts) == list(S)
    assert counts[S.ACCEPTED] == 1
    assert counts[S.RETURNED] == 1
    assert counts[S.SUBMITTED] == 1
    assert counts[S.IN_PROGRESS] == 1
    assert counts[S.NOT_STARTED] == YICHANG_CHILDREN - 4
    assert sum(counts.values()) == YICHANG_CHILDREN


def test_counts_leave_out_own_report(yichang_reports, make_user):
    dashboard = _dashboard(make_user, "420500")

    own = next(row for row in dashboard.rows if row.is_own)
    assert own.report is None
    assert dict(dashboard.report_counts)[S.IN_PROGRESS] == 1


def test_department_without_reports_counts_zeros(app_context, make_user):
    dashboard = _dashboard(make_user, "420000")

    counts = dict(dashboard.report_counts)
    children = len(dashboard.rows) - 1
    assert counts[S.NOT_STARTED] == children
    assert [counts[state] for state in S if state is not S.NOT_STARTED] == [0] * 4


def test_dashboard_creates_no_reports(app_context, make_user):
    _dashboard(make_user, "420000")

    assert db.session.scalars(db.select(AnnualReport)).first() is None


def test_township_children_have_no_report(app_context, make_user, township):
    dashboard = _dashboard(make_user, "420525")

    assert dashboard.report_counts == []
    assert all(row.report is None for row in dashboard.rows)


def test_report_year_follows_today(app_context, make_user):
    dashboard = _dashboard(make_user, "420500")

    assert dashboard.report_year == 2025


def test_page_shows_states_dates_and_chart(yichang_reports, make_user, sign_in):
    client = sign_in(make_user("420500", Role.LEADER))

    page = client.get("/dashboard/420500").get_data(as_text=True)

    assert "2025年度报送" in page
    assert 'class="badge state-accepted">已接收<' in page
    assert 'class="badge state-returned">已退回<' in page
    assert "2026-03-02" in page
    assert 'aria-label="下级年度报送状态"' in page


def test_workbook_holds_report_states(yichang_reports, make_user, sign_in):
    client = sign_in(make_user("420500", Role.LEADER))

    response = client.get("/dashboard/420500/workbook.xlsx")

    book = load_workbook(io.BytesIO(response.get_data()))
    rows = list(book["下级部门"].iter_rows(values_only=True))
    header, children = rows[0], {row[1]: row for row in rows[1:]}
    state_column = header.index("2025年度报送")
    assert children["420525"][state_column : state_column + 2] == (
        "已接收",
        "2026-03-02",
    )
    assert children["420581"][state_column : state_column + 2] == ("未开始", None)
    counts = {row[1]: row[2] for row in book["年度报送"].iter_rows(values_only=True)}
    assert counts["已退回"] == 1
    assert counts["未开始"] == YICHANG_CHILDREN - 4


def test_county_cannot_read_prefecture_reports(yichang_reports, make_user, sign_in):
    client = sign_in(make_user("420525", Role.LEADER))

    response = client.get("/dashboard/420500/workbook.xlsx")

    assert response.status_code == 404


def test_demo_reports_reach_three_states(app_context, make_user, frozen_clock):
    frozen_clock(datetime(2026, 12, 4, 10, 0))
    seed_demo(password="demo-password-1")

    dashboard = _dashboard(make_user, "420500")
    reports = _reports_by_code(dashboard)
    province = dict(_dashboard(make_user, "420000").report_counts)

    assert reports["420525"].state is S.ACCEPTED
    assert reports["420526"].state is S.RETURNED
    assert province[S.SUBMITTED] == 1
