"""Reminders to a center ordered to rectify, and the overdue message."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from notifications.sweeps import run_daily_sweeps
from tests.test_center_workflow import _filed_center
from workflow import engine, supervision
from workflow.extensions import db
from workflow.models import Notification, OutboxMessage, Role, ServiceCenter

# Friday 2026-03-20: seven days before is Friday the 13th, one day before is
# Thursday the 19th, and the day after falls on a Saturday, so the overdue
# message waits for Monday the 23rd.
DEADLINE = date(2026, 3, 20)


@pytest.fixture
def rectifying(make_user, make_applicant, frozen_clock):
    """Return the applicant, the reviewer and a center ordered to rectify."""
    applicant = make_applicant()
    reviewer = make_user("420525", Role.REVIEWER)
    center = _filed_center(applicant, reviewer)
    center = supervision.order_rectification(
        reviewer, center.id, DEADLINE, "价格未公示", center.version
    )
    return applicant, reviewer, center


def _sweep_days(frozen_clock, first, last):
    day = first
    while day <= last:
        frozen_clock(datetime.combine(day, datetime.min.time()).replace(hour=8))
        run_daily_sweeps(day)
        day += timedelta(days=1)


def _received(user, kind):
    return db.session.scalars(
        select(Notification.created_at)
        .where(Notification.user_id == user.id, Notification.kind == kind)
        .order_by(Notification.id)
    ).all()


def test_center_is_reminded_before_its_deadline(rectifying, frozen_clock):
    applicant, _, _ = rectifying

    _sweep_days(frozen_clock, date(2026, 3, 3), date(2026, 3, 24))

    days = [moment.date() for moment in _received(applicant, "rectification_due")]
    assert days == [date(2026, 3, 13), date(2026, 3, 19)]


def test_department_is_told_once_when_no_report_came(rectifying, frozen_clock):
    _, reviewer, _ = rectifying

    _sweep_days(frozen_clock, date(2026, 3, 3), date(2026, 3, 25))

    days = [moment.date() for moment in _received(reviewer, "rectification_overdue")]
    assert days == [date(2026, 3, 23)]


def test_submitted_report_stops_the_messages(rectifying, frozen_clock):
    applicant, reviewer, center = rectifying
    frozen_clock(datetime(2026, 3, 10, 9, 0))
    engine.fire(
        ServiceCenter, center.id, "submit_rectification", applicant, comment="已公示"
    )

    _sweep_days(frozen_clock, date(2026, 3, 11), date(2026, 3, 24))

    assert _received(applicant, "rectification_due") == []
    assert _received(reviewer, "rectification_overdue") == []


def test_reminder_is_emailed_to_the_organisation(rectifying, frozen_clock):
    applicant, _, _ = rectifying

    _sweep_days(frozen_clock, date(2026, 3, 13), date(2026, 3, 13))

    addresses = db.session.scalars(
        select(OutboxMessage.recipient_address).where(
            OutboxMessage.kind == "rectification_due"
        )
    ).all()
    assert addresses == [applicant.organisation.email]
