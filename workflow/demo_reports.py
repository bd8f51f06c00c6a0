"""Demo data for the annual reports (年度报送) of the current reporting year.

Takes the demo departments' reports part of the way through the workflow,
inside the reporting window and never later than now. The report pages
and the dashboards then show 远安县's report accepted, 兴山县's returned
and 宜昌市's submitted to the province.
"""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from workflow import clock, engine
from workflow.annual_reports import report_for
from workflow.extensions import db
from workflow.models.annual_report import AnnualReport
from workflow.models.department import Department
from workflow.models.user import User
from workflow.reporting_window import normal_window, report_year_on
from workflow.states.annual_report import AnnualReportState

# (department code, steps as (trigger, account of the acting user, reason)).
SAMPLE_REPORTS = (
    (
        "420525",
        (
            ("start", "420525-admin", None),
            ("submit", "420525-admin", None),
            ("accept", "420500-leader", None),
        ),
    ),
    (
        "420526",
        (
            ("start", "420526-admin", None),
            ("submit", "420526-admin", None),
            ("return_report", "420500-reviewer", "服务主体数量与名录不一致，请核对。"),
        ),
    ),
    ("420500", (("start", "420500-admin", None), ("submit", "420500-admin", None))),
)


def seed_reports():
    """Walk the sample reports of the current year once; commit each step."""
    now = clock.now()
    year = report_year_on(now.date())
    opens_on, closes_on = normal_window(year)
    moment = datetime.combine(opens_on, time(9))
    try:
        for code, steps in SAMPLE_REPORTS:
            report = _untouched_report(code, year)
            if report is None:
                continue
            for trigger, username, reason in steps:
                moment = _next_moment(moment, closes_on, now)
                clock.freeze(moment)
                engine.fire(
                    AnnualReport, report.id, trigger, _user(username), comment=reason
                )
    finally:
        clock.unfreeze()


def _untouched_report(code, year):
    department = db.session.scalar(select(Department).where(Department.code == code))
    report = report_for(department, year)
    db.session.commit()
    return report if report.state is AnnualReportState.NOT_STARTED else None


def _next_moment(previous, closes_on, now):
    # Steps a few days apart, squeezed to stay in the window and before now.
    latest = min(datetime.combine(closes_on, time(17)), now)
    return min(previous + timedelta(days=3), latest)


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))
