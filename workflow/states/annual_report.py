"""The annual report workflow (年度报送), one report per department and year.

    not_started ──start──▶ in_progress ──submit──▶ submitted ──accept──▶ accepted
                                ▲                    │
                                └── returned ◀───────┘ return_report (reason)
                                      │ submit again
                                      ▼
                                  submitted

The reporting department starts and submits its report inside the
reporting window; the department directly above it returns or accepts.
"""

import enum

from flask_babel import lazy_gettext as _l

from workflow.roles import Role
from workflow.states.base import PARENT, Step, Workflow


class AnnualReportState(enum.Enum):
    """Where a department's annual report stands."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    AnnualReportState.NOT_STARTED: _l("未开始"),
    AnnualReportState.IN_PROGRESS: _l("填报中"),
    AnnualReportState.SUBMITTED: _l("已提交"),
    AnnualReportState.RETURNED: _l("已退回"),
    AnnualReportState.ACCEPTED: _l("已接收"),
}

# States in which the department still owes its report; reminders and the
# overdue notice go to departments in these states.
OUTSTANDING_STATES = frozenset(
    {
        AnnualReportState.NOT_STARTED,
        AnnualReportState.IN_PROGRESS,
        AnnualReportState.RETURNED,
    }
)

S = AnnualReportState


def window_is_open(record, context):
    # Imported here: the window reads extensions, a model that imports
    # this module for AnnualReportState.
    from workflow.reporting_window import closed_window_message, window_for

    window = window_for(record.department_id, record.year)
    if window.is_open(context.today):
        return None
    return closed_window_message(window)


def mark_submitted(record, context):
    from workflow.annual_reports import notify_parent_of_submission

    record.submitted_at = context.now
    record.return_reason = None
    notify_parent_of_submission(record)


def mark_returned(record, context):
    from workflow.annual_reports import notify_department_of_decision

    record.return_reason = context.comment
    notify_department_of_decision(record, "report_returned")


def mark_accepted(record, context):
    from workflow.annual_reports import notify_department_of_decision

    record.accepted_at = context.now
    notify_department_of_decision(record, "report_accepted")


ADMIN = frozenset({Role.REGISTRY_ADMIN})
PARENT_REVIEW = frozenset({Role.REVIEWER, Role.LEADER})

STEPS = (
    Step("start", (S.NOT_STARTED,), S.IN_PROGRESS, ADMIN,
         _l("开始填报"), guards=(window_is_open,)),
    Step("submit", (S.IN_PROGRESS, S.RETURNED), S.SUBMITTED, ADMIN,
         _l("提交报送"), guards=(window_is_open,), effects=(mark_submitted,)),
    Step("return_report", (S.SUBMITTED,), S.RETURNED, PARENT_REVIEW,
         _l("退回报送"), needs_reason=True, style="secondary",
         effects=(mark_returned,), acting_department=PARENT),
    Step("accept", (S.SUBMITTED,), S.ACCEPTED, PARENT_REVIEW,
         _l("确认接收"), effects=(mark_accepted,), acting_department=PARENT),
)  # fmt: skip

ANNUAL_REPORT_WORKFLOW = Workflow("annual_report", AnnualReportState, STEPS)
