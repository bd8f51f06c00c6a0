"""A whole reporting season, day by day, through sweeps, sender and SMTP."""

import threading
from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from notifications.outbox import staff_by_department
from notifications.sender import send_due
from notifications.sweeps import (
    ReportSchedule,
    outstanding_reports,
    remind_report,
    run_daily_sweeps,
)
from workflow import clock, engine
from workflow.annual_reports import REPORTERS, report_for
from workflow.extensions import db
from workflow.models import AnnualReport, Department, Role
from workflow.states.annual_report import AnnualReportState

SEASON_START = date(2026, 1, 1)
SEASON_END = date(2026, 7, 10)
# 兴山县 submits on this day; 远安县 never does.
SUBMITTED_ON = date(2026, 6, 18)
ACCEPTED_ON = date(2026, 6, 22)
# On these days the sweeps run twice at once, or restart half-way.
TWO_SCHEDULERS_ON = date(2026, 6, 16)
RESTART_ON = date(2026, 6, 23)

# Expected (rule, day) per county; 1 January is a holiday, 4 January a
# make-up working day, and 27 June a Saturday.
YUANAN_EXPECTED = [
    ("window_opened", date(2026, 1, 4)),
    ("report_due_30d", date(2026, 5, 29)),
    ("report_due_14d", date(2026, 6, 16)),
    ("report_due_7d", date(2026, 6, 23)),
    ("report_due_3d", date(2026, 6, 26)),
    ("report_due_1d", date(2026, 6, 29)),
    ("report_overdue", date(2026, 7, 1)),
]
XINGSHAN_EXPECTED = [
    ("window_opened", date(2026, 1, 4)),
    ("report_due_30d", date(2026, 5, 29)),
    ("report_due_14d", date(2026, 6, 16)),
    ("report_accepted", ACCEPTED_ON),
]


def _with_mail(make_user, code, *roles):
    user = make_user(code, *roles)
    user.email = f"{user.username}@example.cn"
    db.session.commit()
    return user


def _at(day):
    clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=8, minute=30))


def _sweep_twice_at_once(app, day):
    start = threading.Barrier(2)

    def sweep():
        with app.app_context():
            clock.freeze(datetime.combine(day, datetime.min.time()).replace(hour=8))
            start.wait()
            run_daily_sweeps(day)
            db.session.remove()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _sweep_interrupted(day, department_ids):
    # What a sweep killed half-way leaves behind: the first reports done.
    schedule = ReportSchedule.for_year(day.year - 1)
    reports = outstanding_reports(schedule.year)
    staff = staff_by_department(department_ids, REPORTERS)
    for report in reports[: len(reports) // 2]:
        recipients = {"department": staff.get(report.department_id, [])}
        remind_report(report, day, recipients, schedule)
        db.session.commit()


def _received_by(server):
    received = defaultdict(list)
    for recipients, message in server.received:
        rule = message["X-Fudao-Key"].split(":")[0]
        day = message["Date"].datetime.date()
        received[recipients[0]].append((rule, day))
    return received


def _run_season(app, users):
    day = SEASON_START
    while day <= SEASON_END:
        _at(day)
        if day == TWO_SCHEDULERS_ON:
            _sweep_twice_at_once(app, day)
        elif day == RESTART_ON:
            _sweep_interrupted(day, [user.department_id for user in users.values()])
            run_daily_sweeps(day)
        else:
            run_daily_sweeps(day)
        if day == SUBMITTED_ON:
            _submit(users["xingshan"])
        if day == ACCEPTED_ON:
            report = report_for(users["xingshan"].department, 2025)
            engine.fire(AnnualReport, report.id, "accept", users["yichang"])
        send_due("season")
        day += timedelta(days=1)


def _submit(user):
    report = report_for(user.department, 2025)
    engine.fire(AnnualReport, report.id, "start", user)
    engine.fire(AnnualReport, report.id, "submit", user)


def _outstanding_children(parent):
    return db.session.scalar(
        select(func.count(AnnualReport.id))
        .join(Department, Department.id == AnnualReport.department_id)
        .where(
            Department.parent_id == parent.id,
            AnnualReport.year == 2025,
            AnnualReport.state != AnnualReportState.ACCEPTED,
        )
    )


def test_reporting_season_sends_expected_mail(app, make_user, outbox_smtp):
    server = outbox_smtp()
    users = {
        "yuanan": _with_mail(make_user, "420525", Role.REGISTRY_ADMIN),
        "xingshan": _with_mail(make_user, "420526", Role.REGISTRY_ADMIN),
        "yichang": _with_mail(make_user, "420500", Role.REVIEWER),
    }

    _run_season(app, users)

    received = _received_by(server)
    to_parent = received[users["yichang"].email]
    overdue_children = _outstanding_children(users["yichang"].department)
    assert received[users["yuanan"].email] == YUANAN_EXPECTED
    assert received[users["xingshan"].email] == XINGSHAN_EXPECTED
    assert to_parent.count(("report_submitted", SUBMITTED_ON)) == 1
    assert to_parent.count(("child_report_overdue", date(2026, 7, 1))) == (
        overdue_children
    )
    assert len(to_parent) == overdue_children + 1
    assert overdue_children > 1
    assert len(server.received) == len(set(server.keys()))
