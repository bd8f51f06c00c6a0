"""Where each child department's annual report (年度报送) stands, for dashboards.

The dashboard reads reports and never creates them: a reporting department
with no report row for the year has not started it. Townships do not
report, so they have no status at all.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from workflow.annual_reports import is_reporting_department
from workflow.extensions import db
from workflow.models.annual_report import AnnualReport
from workflow.states.annual_report import AnnualReportState


@dataclass(frozen=True)
class ReportStatus:
    """The state of one department's report of ``year`` and its last submission."""

    year: int
    state: AnnualReportState
    submitted_at: datetime | None


def report_statuses(departments, year):
    """Return a ``ReportStatus`` per id of each reporting department given.

    Departments that do not report (townships, the Ministry) are left out.
    """
    reporting = [d for d in departments if is_reporting_department(d)]
    reports = db.session.scalars(
        select(AnnualReport).where(
            AnnualReport.year == year,
            AnnualReport.department_id.in_([d.id for d in reporting]),
        )
    )
    found = {
        report.department_id: ReportStatus(year, report.state, report.submitted_at)
        for report in reports
    }
    not_started = ReportStatus(year, AnnualReportState.NOT_STARTED, None)
    return {d.id: found.get(d.id, not_started) for d in reporting}


def count_by_state(statuses):
    """Return ``(state, count)`` for every state, in workflow order, zeros kept."""
    counts = {state: 0 for state in AnnualReportState}
    for status in statuses:
        counts[status.state] += 1
    return list(counts.items())
