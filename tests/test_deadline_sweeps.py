"""Sweeps for terms ending and public notices ending."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from notifications.sweeps import run_daily_sweeps
from tests.helpers import appointed_counselor, counselor_in_notice
from workflow.extensions import db
from workflow.models import Counselor, Notification, Role
from workflow.states.counselor import CounselorState


@pytest.fixture
def staff(make_user, frozen_clock):
    """Return a county's registry administrator, reviewer and leader."""
    frozen_clock(datetime(2026, 3, 2, 9, 0))
    return (
        make_user("420525", Role.REGISTRY_ADMIN),
        make_user("420525", Role.REVIEWER),
        make_user("420525", Role.LEADER),
    )


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


def test_term_ending_notices_60_and_30_days(staff, frozen_clock):
    admin, reviewer, leader = staff
    counselor = appointed_counselor(admin, reviewer)
    counselor.term_ends_on = date(2026, 8, 31)
    db.session.commit()

    _sweep_days(frozen_clock, date(2026, 6, 20), date(2026, 9, 10))

    sent = [moment.date() for moment in _received(admin, "term_ending")]
    assert sent == [date(2026, 7, 2), date(2026, 7, 31)]
    assert len(_received(leader, "term_ending")) == 2
    assert _received(reviewer, "term_ending") == []


def test_notice_end_notifies_without_appointing(staff, frozen_clock):
    admin, reviewer, leader = staff
    counselor = counselor_in_notice(admin, reviewer)

    _sweep_days(frozen_clock, date(2026, 3, 2), date(2026, 3, 20))

    db.session.expire_all()
    sent = [moment.date() for moment in _received(reviewer, "notice_ended")]
    assert counselor.notice_ends_on == date(2026, 3, 9)
    assert sent == [date(2026, 3, 10)]
    assert len(_received(leader, "notice_ended")) == 1
    assert _received(admin, "notice_ended") == []
    assert db.session.get(Counselor, counselor.id).state is (
        CounselorState.PUBLIC_NOTICE
    )


def test_sweep_on_day_off_writes_nothing(staff):
    admin, reviewer, _ = staff
    counselor_in_notice(admin, reviewer)

    written = run_daily_sweeps(date(2026, 3, 14))

    assert not written
