"""Queue health: waiting records, their ages, past-due counts, weekly flow."""

from datetime import date, datetime

import pytest

from workflow import queue_health
from workflow.dashboards import build_dashboard
from workflow.models import Role
from workflow.states.counselor import CounselorState

# A Friday in March 2026, a month without public holidays.
TODAY = datetime(2026, 3, 20, 16, 0)


@pytest.fixture
def waiting_counselors(nominate_counselor, frozen_clock):
    """Three nominations a week apart in 远安县, one under review in 兴山县."""
    nominate_counselor("420525", at=datetime(2026, 3, 2, 9, 0))
    nominate_counselor("420525", at=datetime(2026, 3, 9, 9, 0))
    nominate_counselor("420525", at=datetime(2026, 3, 16, 9, 0))
    nominate_counselor("420526", "under_review", at=datetime(2026, 3, 2, 9, 0))
    nominate_counselor("420526", "appointed", at=datetime(2026, 2, 2, 9, 0))
    frozen_clock(TODAY)


def _prefecture(department):
    return department("420500")


def test_waiting_items_skip_final_states(waiting_counselors, department):
    items = queue_health.waiting_items(_prefecture(department))

    assert len(items) == 4
    assert {item.state for item in items} == {
        CounselorState.NOMINATED,
        CounselorState.UNDER_REVIEW,
    }


def test_summary_ages_and_past_due(waiting_counselors, department):
    items = queue_health.waiting_items(department("420525"))

    figures = queue_health.summarize(items, TODAY.date())

    # Waiting 18, 11 and 4 days; five working days after 2 and 9 March
    # have passed, five after 16 March have not.
    assert figures.waiting == 3
    assert figures.median_age == 11
    assert figures.oldest_age == 18
    assert figures.past_due == 2


def test_summary_of_nothing_is_zero():
    figures = queue_health.summarize([], date(2026, 3, 20))

    assert figures.waiting == 0
    assert figures.median_age is None
    assert figures.oldest_age is None
    assert figures.past_due == 0


def test_dashboard_rows_hold_queue_per_county(waiting_counselors, make_user):
    user = make_user("420500", Role.SUPERVISOR)

    dashboard = build_dashboard(user, user.department, TODAY.date())

    rows = {row.department.code: row.queue for row in dashboard.rows}
    assert rows["420525"].waiting == 3
    assert rows["420526"].waiting == 1
    # Under review since 3 March; twenty working days have not yet passed.
    assert rows["420526"].oldest_age == 17
    assert rows["420526"].past_due == 0
    assert rows["420500"].waiting == 0
    assert dashboard.queue.waiting == 4


def test_public_notice_due_after_notice_ends(nominate_counselor, frozen_clock, app):
    record = nominate_counselor(
        "420525", "public_notice", at=datetime(2026, 3, 2, 9, 0)
    )
    # Approved on 4 March: the notice ends 11 March, five working days
    # later is 18 March, so the record is past due on the 19th only.
    frozen_clock(datetime(2026, 3, 18, 9, 0))
    on_due_day = queue_health.waiting_items(record.department)
    frozen_clock(datetime(2026, 3, 19, 9, 0))

    assert record.notice_ends_on == date(2026, 3, 11)
    assert on_due_day[0].due_on == date(2026, 3, 18)
    assert queue_health.summarize(on_due_day, date(2026, 3, 18)).past_due == 0
    assert queue_health.summarize(on_due_day, date(2026, 3, 19)).past_due == 1


def test_state_without_allowance_never_past_due(
    nominate_counselor, frozen_clock, app, monkeypatch
):
    monkeypatch.setitem(app.config, "QUEUE_DUE_WORKING_DAYS", {})
    record = nominate_counselor("420525", at=datetime(2026, 1, 5, 9, 0))

    items = queue_health.waiting_items(record.department)

    assert items[0].due_on is None
    assert queue_health.summarize(items, date(2026, 6, 1)).past_due == 0


def test_weekly_flow_counts_arrivals_and_completions(
    nominate_counselor, frozen_clock, department
):
    nominate_counselor("420525", at=datetime(2026, 3, 2, 9, 0))
    nominate_counselor("420525", "rejected", at=datetime(2026, 3, 3, 9, 0))
    nominate_counselor("420526", "appointed", at=datetime(2026, 3, 9, 9, 0))
    frozen_clock(TODAY)

    weeks = queue_health.weekly_flow(department("420500"), TODAY.date(), 4)

    flow = {week.starts_on: (week.arrived, week.completed) for week in weeks}
    assert list(flow) == [
        date(2026, 2, 23),
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    # Rejected on 5 March; the 兴山县 record is approved on 11 March and
    # appointed on 19 March, the day after its notice ends.
    assert flow[date(2026, 3, 2)] == (2, 1)
    assert flow[date(2026, 3, 9)] == (1, 0)
    assert flow[date(2026, 3, 16)] == (0, 1)
    assert flow[date(2026, 2, 23)] == (0, 0)


def test_weekly_flow_stays_in_jurisdiction(
    nominate_counselor, frozen_clock, department
):
    nominate_counselor("420526", at=datetime(2026, 3, 2, 9, 0))
    frozen_clock(TODAY)

    weeks = queue_health.weekly_flow(department("420525"), TODAY.date(), 4)

    assert sum(week.arrived for week in weeks) == 0
