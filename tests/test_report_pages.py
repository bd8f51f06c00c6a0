"""Annual report pages as a county, its city and the Ministry use them."""

import re
from datetime import datetime

import pytest

from tests.helpers import appointed_counselor, csrf_token_from
from workflow.annual_reports import report_for
from workflow.extensions import db
from workflow.models import AnnualReport, Counselor, Role
from workflow.states.annual_report import AnnualReportState


@pytest.fixture
def county(make_user, frozen_clock):
    """Return 远安县's registry administrator and its 2025 report."""
    frozen_clock(datetime(2026, 3, 2, 9, 0))
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    report = report_for(admin.department, 2025)
    db.session.commit()
    return admin, report


def _post_on(client, page_url, action_url, fields):
    page = client.get(page_url).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    data = {**fields, "csrf_token": csrf_token_from(page)}
    if version:
        data["version"] = version.group(1)
    return client.post(action_url, data=data, follow_redirects=True)


def _state(report):
    db.session.expire_all()
    return db.session.get(AnnualReport, report.id).state


def test_county_starts_and_submits_on_page(county, sign_in):
    admin, report = county
    client = sign_in(admin)
    url = f"/reports/{report.id}"

    index = client.get("/reports").get_data(as_text=True)
    _post_on(client, url, f"{url}/step", {"trigger": "start"})
    page = _post_on(client, url, f"{url}/step", {"trigger": "submit"})

    assert "2025年度报送" in index
    assert "2026-01-01 — 2026-06-30" in index
    assert "已完成：提交报送。" in page.get_data(as_text=True)
    assert _state(report) is AnnualReportState.SUBMITTED


def test_parent_returns_on_page(county, make_user, sign_in):
    admin, report = county
    county_client = sign_in(admin)
    url = f"/reports/{report.id}"
    _post_on(county_client, url, f"{url}/step", {"trigger": "start"})
    _post_on(county_client, url, f"{url}/step", {"trigger": "submit"})
    parent = sign_in(make_user("420500", Role.REVIEWER))

    listing = parent.get("/reports").get_data(as_text=True)
    empty = _post_on(parent, url, f"{url}/return", {"reason": ""})
    returned = _post_on(parent, url, f"{url}/return", {"reason": "服务主体数量有误"})

    assert "远安县农业农村局" in listing
    assert "请填写退回理由。" in empty.get_data(as_text=True)
    assert "服务主体数量有误" in returned.get_data(as_text=True)
    assert _state(report) is AnnualReportState.RETURNED


def test_sibling_county_gets_not_found(county, make_user, sign_in):
    _, report = county
    sibling = sign_in(make_user("420526", Role.REGISTRY_ADMIN))

    response = sibling.get(f"/reports/{report.id}")

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("closes_on", "message"),
    [
        ("2026-07-31", "报送期已延长至 2026-07-31。"),
        ("2026-06-01", "延长后的截止日期须晚于 2026-06-30"),
        ("明天", "不是有效的日期值"),
    ],
)
def test_national_admin_extends_on_page(county, make_user, sign_in, closes_on, message):
    _, report = county
    national = sign_in(make_user("000000", Role.REGISTRY_ADMIN))
    url = f"/reports/{report.id}"

    page = _post_on(
        national, url, f"{url}/extension", {"closes_on": closes_on, "reason": "洪灾"}
    )

    assert message in page.get_data(as_text=True)


def test_county_has_no_extension_form(county, sign_in):
    admin, report = county

    page = sign_in(admin).get(f"/reports/{report.id}").get_data(as_text=True)

    assert "延长报送期" not in page


def test_figures_form_outside_window_names_dates(
    county, make_user, sign_in, frozen_clock
):
    admin, _ = county
    counselor = appointed_counselor(admin, make_user("420525", Role.REVIEWER))
    client = sign_in(admin)
    url = f"/counselors/{counselor.id}"
    page = client.get(url).get_data(as_text=True)
    frozen_clock(datetime(2026, 8, 3, 9, 0))

    response = client.post(
        f"{url}/figures",
        data={
            "served_cooperatives": "9",
            "served_family_farms": "1",
            "served_others": "0",
            "version": str(counselor.version),
            "csrf_token": csrf_token_from(page),
        },
        follow_redirects=True,
    )

    db.session.expire_all()
    assert "2026-01-01 至 2026-06-30" in response.get_data(as_text=True)
    assert db.session.get(Counselor, counselor.id).served_cooperatives != 9
