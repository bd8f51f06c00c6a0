"""The annual report workflow, its window and window extensions."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from workflow import engine
from workflow.annual_reports import grant_extension, report_for
from workflow.errors import (
    DomainValidationError,
    InvalidTransition,
    NotPermitted,
    RecordNotFound,
)
from workflow.extensions import db
from workflow.models import AnnualReport, AuditEvent, Notification, Role
from workflow.states.annual_report import AnnualReportState

IN_WINDOW = datetime(2026, 3, 2, 9, 0)
AFTER_WINDOW = datetime(2026, 7, 2, 9, 0)


@pytest.fixture
def county_report(make_user, frozen_clock):
    """Return the 2025 report of 远安县 and its registry administrator."""
    frozen_clock(IN_WINDOW)
    admin = make_user("420525", Role.REGISTRY_ADMIN)
    report = report_for(admin.department, 2025)
    db.session.commit()
    return report, admin


def _submitted(report, admin):
    engine.fire(AnnualReport, report.id, "start", admin)
    return engine.fire(AnnualReport, report.id, "submit", admin)


def _kinds_for(user):
    return db.session.scalars(
        select(Notification.kind).where(Notification.user_id == user.id)
    ).all()


def test_county_submits_and_parent_accepts(county_report, make_user):
    report, admin = county_report
    parent = make_user("420500", Role.REVIEWER)

    _submitted(report, admin)
    engine.fire(AnnualReport, report.id, "accept", parent)

    db.session.expire_all()
    assert report.state is AnnualReportState.ACCEPTED
    assert report.submitted_at == IN_WINDOW
    assert report.accepted_at == IN_WINDOW
    assert _kinds_for(parent) == ["report_submitted"]
    assert _kinds_for(admin) == ["report_accepted"]


def test_parent_returns_with_reason(county_report, make_user):
    report, admin = county_report
    parent = make_user("420500", Role.LEADER)
    _submitted(report, admin)

    engine.fire(AnnualReport, report.id, "return_report", parent, comment="缺少数据")

    db.session.expire_all()
    assert report.state is AnnualReportState.RETURNED
    assert report.return_reason == "缺少数据"
    assert _kinds_for(admin) == ["report_returned"]


def test_return_without_reason_is_rejected(county_report, make_user):
    report, admin = county_report
    parent = make_user("420500", Role.REVIEWER)
    _submitted(report, admin)

    with pytest.raises(DomainValidationError, match="needs a reason"):
        engine.fire(AnnualReport, report.id, "return_report", parent, comment=" ")


def test_returned_report_can_be_submitted_again(county_report, make_user):
    report, admin = county_report
    parent = make_user("420500", Role.REVIEWER)
    _submitted(report, admin)
    engine.fire(AnnualReport, report.id, "return_report", parent, comment="补充")

    engine.fire(AnnualReport, report.id, "submit", admin)

    db.session.expire_all()
    assert report.state is AnnualReportState.SUBMITTED
    assert report.return_reason is None
    assert _kinds_for(parent) == ["report_submitted", "report_submitted"]


@pytest.mark.parametrize(
    ("code", "roles", "error"),
    [
        ("420525", (Role.REVIEWER,), NotPermitted),
        ("420000", (Role.REVIEWER,), NotPermitted),
        ("420526", (Role.REVIEWER,), RecordNotFound),
        ("420500", (Role.REGISTRY_ADMIN,), NotPermitted),
    ],
    ids=["own-department", "grandparent", "sibling", "parent-wrong-role"],
)
def test_only_parent_reviewers_accept(county_report, make_user, code, roles, error):
    report, admin = county_report
    _submitted(report, admin)
    other = make_user(code, *roles)

    with pytest.raises(error):
        engine.fire(AnnualReport, report.id, "accept", other)


def test_parent_cannot_submit_for_county(county_report, make_user):
    report, _ = county_report
    parent = make_user("420500", Role.REGISTRY_ADMIN)

    with pytest.raises(NotPermitted):
        engine.fire(AnnualReport, report.id, "start", parent)


def test_submission_outside_window_names_dates(county_report, frozen_clock):
    report, admin = county_report
    engine.fire(AnnualReport, report.id, "start", admin)
    frozen_clock(AFTER_WINDOW)

    with pytest.raises(InvalidTransition) as refused:
        engine.fire(AnnualReport, report.id, "submit", admin)

    message = str(refused.value.user_message)
    assert "2026-01-01 至 2026-06-30" in message
    assert "不在报送期内" in message
    assert _kinds_for(admin) == []


def test_extension_reopens_window_for_one_department(
    county_report, make_user, frozen_clock
):
    report, admin = county_report
    national = make_user("000000", Role.REGISTRY_ADMIN)
    neighbour = make_user("420526", Role.REGISTRY_ADMIN)
    other_report = report_for(neighbour.department, 2025)
    db.session.commit()
    frozen_clock(AFTER_WINDOW)

    grant_extension(national, report.id, date(2026, 7, 31), "系统故障")
    _submitted(report, admin)

    with pytest.raises(InvalidTransition):
        engine.fire(AnnualReport, other_report.id, "start", neighbour)
    assert report.state is AnnualReportState.SUBMITTED
    assert _kinds_for(admin) == ["window_extended"]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.record_id == report.id)
    ).all()
    assert actions == ["extend_window", "start", "submit"]


@pytest.mark.parametrize(
    ("code", "roles"),
    [("420000", (Role.REGISTRY_ADMIN,)), ("000000", (Role.REVIEWER,))],
    ids=["province-admin", "ministry-reviewer"],
)
def test_only_national_admin_extends(county_report, make_user, code, roles):
    report, _ = county_report
    user = make_user(code, *roles)

    with pytest.raises(NotPermitted):
        grant_extension(user, report.id, date(2026, 7, 31), "原因")


@pytest.mark.parametrize(
    "closes_on", [date(2026, 6, 30), date(2026, 5, 1), date(2027, 1, 1)]
)
def test_extension_date_must_follow_normal_close(county_report, make_user, closes_on):
    report, _ = county_report
    national = make_user("000000", Role.REGISTRY_ADMIN)

    with pytest.raises(DomainValidationError, match="outside"):
        grant_extension(national, report.id, closes_on, "原因")


def test_ministry_has_no_report(make_user):
    national = make_user("000000", Role.REGISTRY_ADMIN)

    assert report_for(national.department, 2025) is None
