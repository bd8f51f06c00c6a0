"""Daily sweeps: find in the database what is due today and write it out.

Nothing is remembered between runs: each sweep derives every due message
from the records and the rules, and writes it under an idempotency key.
A repeated run (a second scheduler, a restart in the middle) writes nothing
new, and a missed day is caught up on the next working day. Messages are
committed every ``COMMIT_EVERY`` records, so a crash loses at most that
many records' messages, which the next run writes again.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from notifications import rules
from notifications.evaluation_sweep import sweep_evaluation_rounds
from notifications.outbox import notify_users, staff_by_department, written_keys
from notifications.rectification_sweep import sweep_rectifications
from workflow import clock
from workflow.annual_reports import PARENT_REVIEWERS, REPORTERS, ensure_reports
from workflow.extensions import db
from workflow.models.annual_report import AnnualReport, ReportingWindowExtension
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.reporting_window import normal_window, report_year_on
from workflow.roles import Role
from workflow.states.annual_report import OUTSTANDING_STATES
from workflow.states.counselor import SERVING_STATES, CounselorState
from workflow.working_days import is_working_day

logger = logging.getLogger(__name__)

NOTICE_RECIPIENTS = (Role.REVIEWER, Role.LEADER)
TERM_RECIPIENTS = (Role.REGISTRY_ADMIN, Role.LEADER)
# Records whose messages share one commit. A commit per record made the
# window's first day take minutes for the 3,214 reporting departments.
COMMIT_EVERY = 100


def run_daily_sweeps(today=None):
    """Run every sweep for ``today``; return counts of rows written by kind.

    On a day off (weekend or statutory holiday) nothing is sent; what fell
    due is sent on the next working day.
    """
    today = today or clock.now().date()
    if not is_working_day(today):
        logger.info("sweeps skipped: %s is not a working day", today)
        return Counter()
    written = Counter()
    written.update(sweep_reports(today))
    written.update(sweep_terms(today))
    written.update(sweep_notices(today))
    written.update(sweep_rectifications(today))
    written.update(sweep_evaluation_rounds(today))
    written = +written
    logger.info("sweeps for %s wrote %s", today, dict(written) or "nothing")
    return written


@dataclass(frozen=True)
class ReportSchedule:
    """The rules and normal window dates shared by every report of a year."""

    year: int
    opens_on: date
    normal_deadline: date
    rules: tuple

    @classmethod
    def for_year(cls, year):
        """Return the schedule of ``year``'s reports from the settings."""
        opens_on, normal_deadline = normal_window(year)
        return cls(year, opens_on, normal_deadline, rules.report_rules())


def sweep_reports(today):
    """Write the window, reminder and overdue messages due ``today``."""
    schedule = ReportSchedule.for_year(report_year_on(today))
    ensure_reports(schedule.year)
    db.session.commit()
    reports = outstanding_reports(schedule.year)
    extensions = _extensions(schedule.year)
    department_ids = {r.department_id for r in reports}
    department_ids |= {r.parent_id for r in reports} - {None}
    reporters = staff_by_department(department_ids, REPORTERS)
    reviewers = staff_by_department(department_ids, PARENT_REVIEWERS)
    done = written_keys(
        AnnualReport.__tablename__, datetime.combine(schedule.opens_on, time.min)
    )

    written = Counter()
    for number, report in enumerate(reports, start=1):
        recipients = {
            rules.DEPARTMENT: reporters.get(report.department_id, []),
            rules.PARENT: reviewers.get(report.parent_id, []),
        }
        deadline = extensions.get(report.department_id)
        written.update(
            remind_report(report, today, recipients, schedule, deadline, done)
        )
        if number % COMMIT_EVERY == 0:
            db.session.commit()
    db.session.commit()
    return written


def outstanding_reports(year):
    """Return plain rows of the reports of ``year`` not yet submitted.

    Rows rather than ORM objects: the sweep commits as it goes, and a
    commit would make every loaded object reload itself.
    """
    return db.session.execute(
        select(
            AnnualReport.id,
            AnnualReport.department_id,
            AnnualReport.year,
            AnnualReport.state,
            Department.name.label("department_name"),
            Department.parent_id,
        )
        .join(Department, Department.id == AnnualReport.department_id)
        .where(AnnualReport.year == year, AnnualReport.state.in_(OUTSTANDING_STATES))
        .order_by(AnnualReport.department_id)
    ).all()


def _extensions(year):
    rows = db.session.execute(
        select(
            ReportingWindowExtension.department_id, ReportingWindowExtension.closes_on
        ).where(ReportingWindowExtension.year == year)
    )
    return dict(rows.all())


def remind_report(
    report, today, recipients, schedule, extended_deadline=None, done=frozenset()
):
    """Write the messages due ``today`` for one report row.

    ``report`` is a row of ``outstanding_reports``; ``recipients`` maps an
    audience to its users; ``done`` holds keys known to be written already.
    Returns the rows added by kind. Does not commit.
    """
    if report.state not in OUTSTANDING_STATES:
        return Counter()
    deadline = max(schedule.normal_deadline, extended_deadline or date.min)
    due = [
        rule
        for rule in schedule.rules
        if rule.anchor == rules.DEADLINE
        and not rule.is_advance_warning
        and rules.is_due(rule, deadline, today)
    ]
    warning = rules.latest_due_warning(schedule.rules, deadline, today)
    if warning is not None:
        due.append(warning)

    moment = {"schedule": schedule, "deadline": deadline, "today": today}
    written = Counter()
    opened = next(r for r in schedule.rules if r.anchor == rules.WINDOW_OPENS)
    if today <= schedule.normal_deadline and rules.is_due(
        opened, schedule.opens_on, today
    ):
        key = f"{opened.code}:{report.department_id}:{report.year}"
        written[opened.kind] += _write(report, opened, key, recipients, done, **moment)
    for rule in due:
        key = f"{rule.code}:{report.department_id}:{deadline.isoformat()}"
        written[rule.kind] += _write(report, rule, key, recipients, done, **moment)
    return written


def _write(report, rule, key, recipients, done, *, schedule, deadline, today):
    users = recipients.get(rule.audience, [])
    if not users:
        return 0
    context = {
        "department_name": report.department_name,
        "year": report.year,
        "opens_on": schedule.opens_on.isoformat(),
        "deadline": deadline.isoformat(),
        "days_left": (deadline - today).days,
    }
    return notify_users(
        users,
        rule.kind,
        key,
        context,
        about=(AnnualReport.__tablename__, report.id),
        link=f"/reports/{report.id}",
        skip_keys=done,
    )


def sweep_terms(today):
    """Write the notices of terms ending within the configured days."""
    term_rules = rules.term_rules()
    # Warnings move back to the previous working day, at most a couple of
    # weeks across the Spring Festival, so look a little further ahead.
    horizon = today + timedelta(days=max(-r.offset_days for r in term_rules) + 21)
    counselors = db.session.scalars(
        select(Counselor)
        .options(joinedload(Counselor.department))
        .where(
            # The daily term-ending job moves counselors to "term ending"
            # before the notices fall due; both states are still serving.
            Counselor.state.in_(SERVING_STATES),
            Counselor.term_ends_on >= today,
            Counselor.term_ends_on <= horizon,
        )
        .order_by(Counselor.id)
    ).all()
    staff = staff_by_department({c.department_id for c in counselors}, TERM_RECIPIENTS)
    written = Counter()
    for number, counselor in enumerate(counselors, start=1):
        if number % COMMIT_EVERY == 0:
            db.session.commit()
        rule = rules.latest_due_warning(term_rules, counselor.term_ends_on, today)
        if rule is None:
            continue
        context = {
            "department_name": counselor.department.name,
            "counselor_name": counselor.name,
            "certificate_number": counselor.certificate_number or "",
            "term_ends_on": counselor.term_ends_on.isoformat(),
            "days_left": (counselor.term_ends_on - today).days,
        }
        written[rule.kind] += _notify_department_of(
            counselor, rule, counselor.term_ends_on, context, staff
        )
    db.session.commit()
    return written


def sweep_notices(today):
    """Tell departments which public notices have ended.

    The sweep never appoints. Appointment stays a person's decision: the
    ``appoint`` step needs a reviewer or leader, and an objection may still
    be upheld.
    """
    rule = rules.NOTICE_ENDED
    counselors = db.session.scalars(
        select(Counselor)
        .options(joinedload(Counselor.department))
        .where(
            Counselor.state == CounselorState.PUBLIC_NOTICE,
            Counselor.notice_ends_on < today,
        )
        .order_by(Counselor.id)
    ).all()
    staff = staff_by_department(
        {c.department_id for c in counselors}, NOTICE_RECIPIENTS
    )
    written = Counter()
    for number, counselor in enumerate(counselors, start=1):
        if number % COMMIT_EVERY == 0:
            db.session.commit()
        if not rules.is_due(rule, counselor.notice_ends_on, today):
            continue
        context = {
            "department_name": counselor.department.name,
            "counselor_name": counselor.name,
            "notice_starts_on": counselor.notice_starts_on.isoformat(),
            "notice_ends_on": counselor.notice_ends_on.isoformat(),
        }
        written[rule.kind] += _notify_department_of(
            counselor, rule, counselor.notice_ends_on, context, staff
        )
    db.session.commit()
    return written


def _notify_department_of(counselor, rule, anchor_day, context, staff):
    added = notify_users(
        staff.get(counselor.department_id, []),
        rule.kind,
        f"{rule.code}:{counselor.id}:{anchor_day.isoformat()}",
        context,
        about=(Counselor.__tablename__, counselor.id),
        link=f"/counselors/{counselor.id}",
    )
    return added
