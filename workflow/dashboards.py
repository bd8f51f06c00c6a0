"""The dashboard of one department: targets, children, breakdowns, queues.

A user opens the dashboard of their own department and may drill down one
level at a time to any department below it. Every other department is
reported as not found, as records are.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from workflow import (
    counselor_statistics,
    queue_health,
    report_status,
    township_coverage,
)
from workflow.engine import workflow_models
from workflow.errors import RecordNotFound
from workflow.extensions import db
from workflow.models.department import Department
from workflow.progress import INDICATORS
from workflow.reporting_window import report_year_on
from workflow.targets import share_of_target


@dataclass(frozen=True)
class Figure:
    """An indicator's value and target for one department or subtree.

    ``value`` is None when the indicator has no register to count it yet.
    """

    indicator: object
    value: int | None
    target: int | None

    @property
    def share(self):
        """Return the value as a percentage of the target, or None."""
        if self.value is None:
            return None
        return share_of_target(self.value, self.target)


@dataclass(frozen=True)
class Row:
    """One line of the drill-down: a child subtree or the department's own.

    ``report`` is a child's annual report status, None on the own line and
    for a child that does not report.
    """

    department: Department
    is_own: bool
    figures: list
    queue: queue_health.QueueFigures
    report: report_status.ReportStatus | None = None

    def figure(self, key):
        """Return this line's figure of the indicator named ``key``."""
        return _pick(self.figures, key)


def _pick(figures, key):
    return next(figure for figure in figures if figure.indicator.key == key)


@dataclass(frozen=True)
class StateQueue:
    """The queue figures of one state of one workflow."""

    workflow: object
    state: object
    queue: queue_health.QueueFigures


@dataclass(frozen=True)
class Dashboard:
    """Every figure shown on one department's dashboard as of ``today``.

    ``report_counts`` holds ``(state, count)`` of the children's annual
    reports of ``report_year``; it is empty when no child reports.
    ``uncovered_townships`` is None where no province of the subtree
    requires a full-time counselor per township.
    """

    department: Department
    trail: list
    today: object
    figures: list
    rows: list
    breakdowns: list
    queue: queue_health.QueueFigures
    queue_by_state: list
    weeks: list
    report_year: int
    report_counts: list
    uncovered_townships: list | None
    township_count: int

    def figure(self, key):
        """Return the headline figure of the indicator named ``key``."""
        return _pick(self.figures, key)


def load_department(user, code):
    """Return the department ``code`` if it lies in ``user``'s jurisdiction.

    Raises ``RecordNotFound`` for an unknown code and for any department
    outside the user's own subtree.
    """
    department = db.session.scalar(select(Department).where(Department.code == code))
    if department is None or not department.is_within(user.department):
        raise RecordNotFound(
            f"department {code!r} not found in the jurisdiction of "
            f"department {user.department.code}"
        )
    return department


def trail_from(user, department):
    """Return the departments from ``user``'s own down to ``department``."""
    trail = [department]
    while trail[-1].id != user.department_id and trail[-1].parent is not None:
        trail.append(trail[-1].parent)
    return list(reversed(trail))


def build_dashboard(user, department, today):
    """Collect the dashboard of ``department`` for ``user`` as of ``today``."""
    tallies = {
        indicator.key: indicator.tally(department, today) if indicator.tally else None
        for indicator in INDICATORS
    }
    items = queue_health.waiting_items(department)
    children = _children(department)
    report_year = report_year_on(today)
    reports = report_status.report_statuses(children, report_year)
    return Dashboard(
        department=department,
        trail=trail_from(user, department),
        today=today,
        figures=_figures(department, tallies, lambda tally: tally.total),
        rows=_rows(department, children, tallies, items, today, reports),
        breakdowns=counselor_statistics.breakdowns(department, today),
        queue=queue_health.summarize(items, today),
        queue_by_state=_queue_by_state(items, today),
        weeks=queue_health.weekly_flow(
            department, today, current_app.config["QUEUE_HEALTH_WEEKS"]
        ),
        report_year=report_year,
        report_counts=(
            report_status.count_by_state(reports.values()) if reports else []
        ),
        uncovered_townships=_uncovered_townships(department, today),
        township_count=township_coverage.count_townships(department),
    )


def _uncovered_townships(department, today):
    if not township_coverage.provinces_applying(department):
        return None
    return township_coverage.uncovered_townships(department, today)


def _figures(department, tallies, pick, with_target=True):
    figures = []
    for indicator in INDICATORS:
        tally = tallies[indicator.key]
        value = pick(tally) if tally is not None else None
        target = indicator.target(department) if with_target else None
        figures.append(Figure(indicator, value, target))
    return figures


def _rows(department, children, tallies, items, today, reports):
    groups = queue_health.by_child(department, items)
    rows = [
        Row(
            department=department,
            is_own=True,
            # The department's target covers its whole subtree, not the
            # counselors it appointed itself, so this line shows none.
            figures=_figures(
                department, tallies, lambda tally: tally.own, with_target=False
            ),
            queue=queue_health.summarize(groups.get(department.path, []), today),
        )
    ]
    for child in children:
        rows.append(
            Row(
                department=child,
                is_own=False,
                figures=_figures(child, tallies, lambda t, c=child: t.for_child(c)),
                queue=queue_health.summarize(groups.get(child.path, []), today),
                report=reports.get(child.id),
            )
        )
    return rows


def _children(department):
    return db.session.scalars(
        select(Department)
        .where(Department.parent_id == department.id)
        .order_by(Department.code)
    ).all()


def _queue_by_state(items, today):
    workflows = {
        model.__workflow__.states: model.__workflow__ for model in workflow_models()
    }
    order = list(workflows)
    groups = queue_health.by_state(items)
    states = sorted(
        groups,
        key=lambda state: (order.index(type(state)), list(type(state)).index(state)),
    )
    return [
        StateQueue(
            workflows[type(state)], state, queue_health.summarize(groups[state], today)
        )
        for state in states
    ]
