"""Townships without a full-time counselor in office, where the rule is on."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from workflow.dashboards import build_dashboard, load_department
from workflow.demo import seed_demo
from workflow.divisions import add_township
from workflow.extensions import db
from workflow.models import Role
from workflow.states.counselor import CounselorState as S
from workflow.township_coverage import uncovered_townships

TODAY = date(2026, 6, 1)


@pytest.fixture
def rule_in_hubei(app, monkeypatch):
    monkeypatch.setitem(app.config, "TOWNSHIP_COUNSELOR_PROVINCES", ("420000",))


@pytest.fixture
def townships(app_context):
    """Add three townships of 远安县 and one of 兴山县; return them by code."""
    created = {
        code: add_township(code, name)
        for code, name in (
            ("420525100", "鸣凤镇"),
            ("420525101", "花林寺镇"),
            ("420525102", "旧县镇"),
            ("420526100", "古夫镇"),
        )
    }
    db.session.commit()
    return created


def _codes(department, today=TODAY):
    return [township.code for township in uncovered_townships(department, today)]


def test_townships_without_counselors_listed(rule_in_hubei, townships, department):
    assert _codes(department("420525")) == ["420525100", "420525101", "420525102"]


def test_full_time_service_area_covers(
    rule_in_hubei, townships, department, make_counselor
):
    make_counselor(
        "420525",
        S.APPOINTED,
        working_mode="专职",
        service_area_codes=["420525", "420525100", "420525102"],
    )

    assert _codes(department("420525")) == ["420525101"]


@pytest.mark.parametrize(
    ("state", "fields"),
    [
        (S.APPOINTED, {"working_mode": "兼职"}),
        (S.UNDER_REVIEW, {"working_mode": "专职"}),
        (S.STRUCK_OFF, {"working_mode": "专职"}),
        (S.APPOINTED, {"working_mode": "专职", "term_ends_on": date(2026, 5, 31)}),
    ],
)
def test_counselor_not_covering_leaves_township_listed(
    rule_in_hubei, townships, department, make_counselor, state, fields
):
    make_counselor("420525", state, service_area_codes=["420525100"], **fields)

    assert "420525100" in _codes(department("420525"))


def test_counselor_of_township_department_covers(
    rule_in_hubei, townships, department, make_counselor
):
    make_counselor(
        "420525101", S.APPOINTED, working_mode="专职", service_area_codes=["420525"]
    )

    assert _codes(department("420525")) == ["420525100", "420525102"]


def test_county_service_area_covers_no_township(
    rule_in_hubei, townships, department, make_counselor
):
    make_counselor(
        "420525", S.APPOINTED, working_mode="专职", service_area_codes=["420525"]
    )

    assert len(_codes(department("420525"))) == 3


def test_list_scoped_to_jurisdiction(rule_in_hubei, townships, department):
    assert _codes(department("420526")) == ["420526100"]
    assert len(_codes(department("420500"))) == 4
    assert len(_codes(department("420000"))) == 4
    assert len(_codes(department("000000"))) == 4
    assert _codes(department("420100")) == []


def test_rule_off_by_default(app_context, townships, make_user):
    user = make_user("420525", Role.LEADER)

    dashboard = build_dashboard(user, load_department(user, "420525"), TODAY)

    assert dashboard.uncovered_townships is None


def test_rule_of_other_province_leaves_hubei_alone(
    app, townships, make_user, monkeypatch
):
    monkeypatch.setitem(app.config, "TOWNSHIP_COUNSELOR_PROVINCES", ("430000",))
    user = make_user("420525", Role.LEADER)

    dashboard = build_dashboard(user, load_department(user, "420525"), TODAY)

    assert dashboard.uncovered_townships is None


def test_rule_on_with_every_township_covered(
    rule_in_hubei, townships, make_user, make_counselor
):
    make_counselor(
        "420526", S.APPOINTED, working_mode="专职", service_area_codes=["420526100"]
    )
    user = make_user("420526", Role.LEADER)

    dashboard = build_dashboard(user, load_department(user, "420526"), TODAY)

    assert dashboard.uncovered_townships == []


def test_setting_rejects_non_province_code(app, townships, department, monkeypatch):
    monkeypatch.setitem(app.config, "TOWNSHIP_COUNSELOR_PROVINCES", ("420500",))

    with pytest.raises(ValueError, match="420500"):
        uncovered_townships(department("420525"), TODAY)


def test_page_lists_townships(
    rule_in_hubei, townships, make_user, make_counselor, sign_in, frozen_clock
):
    frozen_clock(datetime(2026, 6, 1, 9, 0))
    make_counselor(
        "420525", S.APPOINTED, working_mode="专职", service_area_codes=["420525100"]
    )
    client = sign_in(make_user("420500", Role.LEADER))

    page = client.get("/dashboard/420500").get_data(as_text=True)

    section = page[page.index("无在聘专职辅导员的乡镇") :]
    assert "共 3 个乡镇。" in section
    assert "花林寺镇" in section
    assert "古夫镇" in section
    assert "鸣凤镇" not in section


def test_page_without_townships_says_none_registered(
    rule_in_hubei, app_context, make_user, sign_in
):
    client = sign_in(make_user("420525", Role.LEADER))

    page = client.get("/dashboard/420525").get_data(as_text=True)

    section = page[page.index("无在聘专职辅导员的乡镇") :]
    assert "辖区内尚未登记乡镇" in section
    assert "都有在聘专职辅导员" not in section


def test_page_with_every_township_covered_counts_them(
    rule_in_hubei, townships, make_user, make_counselor, sign_in, frozen_clock
):
    frozen_clock(datetime(2026, 6, 1, 9, 0))
    make_counselor(
        "420526", S.APPOINTED, working_mode="专职", service_area_codes=["420526100"]
    )
    client = sign_in(make_user("420526", Role.LEADER))

    page = client.get("/dashboard/420526").get_data(as_text=True)

    assert "辖区内 1 个乡镇都有在聘专职辅导员。" in page


def test_page_without_rule_has_no_township_section(
    app_context, townships, make_user, sign_in
):
    client = sign_in(make_user("420525", Role.LEADER))

    page = client.get("/dashboard/420525").get_data(as_text=True)

    assert "无在聘专职辅导员的乡镇" not in page


def test_workbook_lists_townships(rule_in_hubei, townships, make_user, sign_in):
    client = sign_in(make_user("420525", Role.LEADER))

    response = client.get("/dashboard/420525/workbook.xlsx")

    book = load_workbook(io.BytesIO(response.get_data()))
    rows = list(book["无专职辅导员乡镇"].iter_rows(values_only=True))
    assert rows[0] == ("乡镇", "区划代码", "所属县（市、区）")
    assert rows[1] == ("鸣凤镇", "420525100", "远安县")
    assert len(rows) == 4


def test_add_township_command_adds_below_county(app, app_context, department):
    result = app.test_cli_runner().invoke(
        args=["divisions", "add-township", "420525103", "洋坪镇"]
    )

    township = department("420525103")
    assert result.exit_code == 0, result.output
    assert "洋坪镇农业农村综合服务中心" in result.output
    assert township.parent.code == "420525"
    assert township.path == department("420525").path + "420525103/"
    assert not township.can_appoint


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("42052510", "nine digits"),
        ("42052510x", "nine digits"),
        ("420599100", "county 420599"),
        ("420500100", "county 420500"),
    ],
)
def test_add_township_command_rejects_bad_code(app, app_context, code, message):
    result = app.test_cli_runner().invoke(
        args=["divisions", "add-township", code, "某镇"]
    )

    assert result.exit_code == 2
    assert message in result.output


def test_demo_leaves_five_townships_uncovered(
    rule_in_hubei, app_context, department, frozen_clock
):
    frozen_clock(datetime(2026, 12, 4, 10, 0))
    seed_demo(password="demo-password-1")

    names = [
        township.division_name
        for township in uncovered_townships(department("420525"), date(2026, 12, 4))
    ]

    assert names == ["旧县镇", "洋坪镇", "茅坪场镇", "嫘祖镇", "河口乡"]
