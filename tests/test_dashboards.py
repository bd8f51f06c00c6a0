"""Dashboard figures against counselors created through the engine."""

import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from workflow.dashboards import build_dashboard, load_department
from workflow.errors import RecordNotFound
from workflow.extensions import db
from workflow.models import Role
from workflow.states.counselor import CounselorState
from workflow.term_endings import mark_terms_ending

TODAY = datetime(2026, 6, 1, 9, 0)


@pytest.fixture
def hubei_counselors(nominate_counselor, frozen_clock):
    """Counselors across 湖北省 in several states, and the clock at TODAY."""
    nominate_counselor(
        "420525",
        "appointed",
        work_areas=["组织建设", "技术支持"],
        industries=["果茶"],
        working_mode="专职",
    )
    nominate_counselor(
        "420525",
        "appointed",
        work_areas=["技术支持"],
        industries=["果茶", "畜牧"],
        working_mode="兼职",
    )
    nominate_counselor(
        "420526", "appointed", work_areas=["财务会计"], working_mode="专职"
    )
    nominate_counselor(
        "420500", "appointed", work_areas=["市场营销"], working_mode="兼职"
    )
    nominate_counselor(
        "420102", "appointed", work_areas=["组织建设"], working_mode="专职"
    )
    nominate_counselor("420525", "under_review")
    nominate_counselor("420526", "rejected")
    # Appointed in 2023 for three years: the term ended before TODAY.
    nominate_counselor("420526", "appointed", at=datetime(2023, 3, 1, 9, 0))
    frozen_clock(TODAY)


def _dashboard(make_user, code):
    user = make_user(code, Role.SUPERVISOR)
    department = load_department(user, code)
    return build_dashboard(user, department, TODAY.date())


def _row_values(dashboard, key="counselors"):
    return {
        ("own" if row.is_own else row.department.code): row.figure(key).value
        for row in dashboard.rows
    }


def test_province_counts_counselors_in_office(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420000")

    assert dashboard.figure("counselors").value == 5
    assert dashboard.figure("counselors").target == 1000
    assert dashboard.figure("counselors").share == 0.5


def test_province_rows_split_by_prefecture(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420000")

    values = _row_values(dashboard)
    assert values["own"] == 0
    assert values["420500"] == 4
    assert values["420100"] == 1
    assert values["420200"] == 0


def test_prefecture_rows_show_own_and_counties(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420500")

    values = _row_values(dashboard)
    assert values["own"] == 1
    assert values["420525"] == 2
    assert values["420526"] == 1
    assert dashboard.figure("counselors").target is None


def test_unplugged_indicator_shows_target_only(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420000")

    served = dashboard.figure("served_entities")
    assert served.value is None
    assert served.target == 10_000
    assert served.share is None


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            "work_area",
            {"组织建设": 2, "技术支持": 2, "财务会计": 1, "市场营销": 1, "其他": 0},
        ),
        ("tier", {"县级": 4, "市级": 1, "省级": 0}),
        ("working_mode", {"专职": 3, "兼职": 2}),
        ("industry", {"果茶": 5, "畜牧": 1, "粮食作物": 0}),
    ],
)
def test_breakdowns_count_in_office(hubei_counselors, make_user, key, expected):
    dashboard = _dashboard(make_user, "420000")

    breakdown = next(b for b in dashboard.breakdowns if b.key == key)
    rows = dict(breakdown.rows)
    for label, count in expected.items():
        assert rows[label] == count, label


def test_county_tiers_list_county_only(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420525")

    tier = next(b for b in dashboard.breakdowns if b.key == "tier")
    assert tier.rows == [("县级", 2)]


def test_department_outside_jurisdiction_not_found(app_context, make_user):
    user = make_user("420526", Role.SUPERVISOR)

    for code in ("420525", "420500", "000000", "999999"):
        with pytest.raises(RecordNotFound):
            load_department(user, code)


def test_trail_runs_from_user_department(app_context, make_user):
    user = make_user("420000", Role.SUPERVISOR)

    department = load_department(user, "420525")
    dashboard = build_dashboard(user, department, date(2026, 6, 1))

    assert [d.code for d in dashboard.trail] == ["420000", "420500", "420525"]


def test_target_override_by_department_code(app, app_context, make_user, monkeypatch):
    monkeypatch.setitem(
        app.config, "COUNSELOR_TARGETS", {"province": 1000, "420000": 1500}
    )

    dashboard = _dashboard(make_user, "420000")

    assert dashboard.figure("counselors").target == 1500


def test_empty_department_page_shows_zero_and_target(app_context, make_user, sign_in):
    user = make_user("420000", Role.LEADER)

    response = sign_in(user).get("/dashboard/420000")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "目标 1000 人" in page
    assert 'class="figure">0 <small>' in page


def test_page_drills_down_to_child(hubei_counselors, make_user, sign_in):
    client = sign_in(make_user("420000", Role.SUPERVISOR))

    province = client.get("/dashboard/420000").get_data(as_text=True)
    prefecture = client.get("/dashboard/420500")

    assert 'href="/dashboard/420500"' in province
    assert 'href="/dashboard/420525"' not in province
    assert prefecture.status_code == 200
    assert 'href="/dashboard/420525"' in prefecture.get_data(as_text=True)


def test_page_of_other_department_is_404(app_context, make_user, sign_in):
    client = sign_in(make_user("420526", Role.REVIEWER))

    response = client.get("/dashboard/420525")

    assert response.status_code == 404


def test_page_needs_staff_role(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.COUNSELOR))

    response = client.get("/dashboard/420525")

    assert response.status_code == 403


def test_home_redirects_to_own_department(app_context, make_user, sign_in):
    client = sign_in(make_user("420525", Role.REVIEWER))

    response = client.get("/dashboard")

    assert response.headers["Location"].endswith("/dashboard/420525")


def test_workbook_holds_dashboard_numbers(hubei_counselors, make_user, sign_in):
    client = sign_in(make_user("420000", Role.LEADER))

    response = client.get("/dashboard/420000/workbook.xlsx")

    book = load_workbook(io.BytesIO(response.get_data()))
    summary = {row[0]: row[1:] for row in book["概览"].iter_rows(values_only=True)}
    assert summary["在聘辅导员"][:2] == (5, 1000)
    children = {row[1]: row for row in book["下级部门"].iter_rows(values_only=True)}
    assert children["420500"][2] == 4
    assert children["420100"][2] == 1
    makeup = {
        (r[0], r[1]): r[2] for r in book["辅导员构成"].iter_rows(values_only=True)
    }
    assert makeup[("按工作模式", "专职")] == 3
    assert makeup[("按辅导员类型", "技术支持")] == 2


def test_page_charts_are_inline_svg(hubei_counselors, make_user, sign_in):
    client = sign_in(make_user("420000", Role.LEADER))

    page = client.get("/dashboard/420000").get_data(as_text=True)

    assert page.count('<svg class="chart') >= 7
    # Charts need no JavaScript: the only script is the external session
    # timer every signed-in page loads.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_ministry_sees_provinces_with_targets(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "000000")

    hubei = next(row for row in dashboard.rows if row.department.code == "420000")
    assert dashboard.figure("counselors").value == 5
    assert dashboard.figure("counselors").target == 30_000
    assert dashboard.figure("served_entities").target == 300_000
    assert hubei.figure("counselors").value == 5
    assert hubei.figure("counselors").target == 1000
    assert hubei.figure("served_entities").target == 10_000


def test_own_row_shows_no_target(hubei_counselors, make_user):
    dashboard = _dashboard(make_user, "420000")

    own = next(row for row in dashboard.rows if row.is_own)
    assert own.figure("counselors").target is None


def test_term_ending_counselor_still_counts_in_office(
    nominate_counselor, frozen_clock, make_user
):
    # Appointed in mid-2023 for three years: on TODAY the term has a month
    # to run, so the daily check moves the record to 聘期将满.
    record = nominate_counselor("420525", "appointed", at=datetime(2023, 6, 12, 9, 0))
    frozen_clock(TODAY)
    mark_terms_ending(TODAY.date())
    db.session.refresh(record)
    assert record.state == CounselorState.TERM_ENDING

    assert _dashboard(make_user, "420525").figure("counselors").value == 1
