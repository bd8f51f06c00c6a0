"""Queue health of a department's subtree: waiting records, ages, flow.

A record is *waiting* in a state that some queue step leaves, other than
its workflow's initial state (``Workflow.waiting_states``). Its age is the
time since it entered its current state.
Each workflow supplies its waiting records through one *source* function
``source(department)`` listed in ``QUEUE_SOURCES``; the weekly flow reads
the audit trail of every workflow.
"""

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from workflow.deadlines import due_on
from workflow.engine import workflow_models
from workflow.extensions import db
from workflow.models.audit import AuditEvent
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.progress import PATH_SEGMENT_LENGTH, in_subtree
from workflow.states.counselor import CounselorState
from workflow.states.service_center import CenterState


@dataclass(frozen=True)
class WaitingItem:
    """One record under way: its owner, state, since when, and due date."""

    owner_path: str
    state: object
    since: datetime
    due_on: date | None


@dataclass(frozen=True)
class QueueFigures:
    """Waiting count, ages in days and past-due count of a set of records."""

    waiting: int = 0
    median_age: float | None = None
    oldest_age: int | None = None
    past_due: int = 0


@dataclass(frozen=True)
class WeekFlow:
    """Records that entered and left the workflows in one week (Monday first)."""

    starts_on: date
    arrived: int
    completed: int


def counselor_waiting_items(department):
    """Return the counselor records under way in ``department``'s subtree."""
    workflow = Counselor.__workflow__
    rows = db.session.execute(
        select(
            Department.path,
            Counselor.state,
            Counselor.state_changed_at,
            Counselor.notice_ends_on,
        )
        .join(Department, Counselor.department_id == Department.id)
        .where(
            in_subtree(department, Counselor.department_id),
            Counselor.state.in_(workflow.waiting_states),
        )
    ).all()
    items = []
    for path, state, since, notice_ends_on in rows:
        # The department may appoint only once the notice is over, so the
        # allowance of a public notice runs from the notice's last day.
        if state is CounselorState.PUBLIC_NOTICE:
            start = notice_ends_on
        else:
            start = since.date()
        items.append(WaitingItem(path, state, since, due_on(workflow, state, start)))
    return items


def service_center_waiting_items(department):
    """Return the service centers under way in ``department``'s subtree."""
    workflow = ServiceCenter.__workflow__
    rows = db.session.execute(
        select(
            Department.path,
            ServiceCenter.state,
            ServiceCenter.state_changed_at,
            ServiceCenter.rectification_deadline,
        )
        .join(Department, ServiceCenter.department_id == Department.id)
        .where(
            in_subtree(department, ServiceCenter.department_id),
            ServiceCenter.state.in_(workflow.waiting_states),
        )
    ).all()
    items = []
    for path, state, since, deadline in rows:
        # A center ordered to rectify has its own deadline, set by the
        # department; every other state uses the allowance in the settings.
        if state is CenterState.RECTIFYING:
            due = deadline
        else:
            due = due_on(workflow, state, since.date())
        items.append(WaitingItem(path, state, since, due))
    return items


QUEUE_SOURCES = (counselor_waiting_items, service_center_waiting_items)


def waiting_items(department):
    """Return the records under way in ``department``'s subtree, all workflows."""
    return [item for source in QUEUE_SOURCES for item in source(department)]


def summarize(items, today):
    """Return the queue figures of ``items`` as of ``today``."""
    if not items:
        return QueueFigures()
    ages = [(today - item.since.date()).days for item in items]
    past_due = sum(
        1 for item in items if item.due_on is not None and today > item.due_on
    )
    return QueueFigures(
        waiting=len(items),
        median_age=statistics.median(ages),
        oldest_age=max(ages),
        past_due=past_due,
    )


def by_child(department, items):
    """Group ``items`` by child subtree path; the department's own under its path."""
    width = len(department.path) + PATH_SEGMENT_LENGTH
    groups = {}
    for item in items:
        groups.setdefault(item.owner_path[:width], []).append(item)
    return groups


def by_state(items):
    """Group ``items`` by state, keeping the order in which states first appear."""
    groups = {}
    for item in items:
        groups.setdefault(item.state, []).append(item)
    return groups


def week_start(day):
    """Return the Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def weekly_flow(department, today, weeks):
    """Count arrivals and completions per week over the last ``weeks`` weeks.

    An arrival is a step into a waiting state from any other state, such as
    a submission or an order to rectify. A completion is a step out of the
    waiting states, such as an appointment, a filing or a rejection. Weeks
    start on Monday, and the last one is the week of ``today``.
    """
    first = week_start(today) - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=n) for n in range(weeks)]
    arrived = dict.fromkeys(starts, 0)
    completed = dict.fromkeys(starts, 0)
    waiting = _waiting_by_record_type()
    for record_type, from_state, to_state, day, count in _events_per_day(
        department, first
    ):
        states = waiting.get(record_type, set())
        week = week_start(_as_date(day))
        if week not in arrived:
            continue
        if from_state not in states and to_state in states:
            arrived[week] += count
        if from_state in states and to_state not in states:
            completed[week] += count
    return [WeekFlow(start, arrived[start], completed[start]) for start in starts]


def _waiting_by_record_type():
    return {
        model.__tablename__: {
            state.value for state in model.__workflow__.waiting_states
        }
        for model in workflow_models()
    }


def _events_per_day(department, first):
    day = func.date(AuditEvent.created_at)
    return db.session.execute(
        select(
            AuditEvent.record_type,
            AuditEvent.from_state,
            AuditEvent.to_state,
            day,
            func.count(),
        )
        .where(
            in_subtree(department, AuditEvent.department_id),
            AuditEvent.created_at >= datetime.combine(first, datetime.min.time()),
        )
        .group_by(AuditEvent.record_type, AuditEvent.from_state, AuditEvent.to_state)
        .group_by(day)
    ).all()


def _as_date(value):
    # SQLite's date() returns text; PostgreSQL returns a date.
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)
