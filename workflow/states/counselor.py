"""The counselor appointment workflow.

    draft ──nominate──▶ nominated ──start_review──▶ under_review
      ▲                                              │  │  │
      └──────── returned ◀──return_for_revision──────┘  │  │
                   │ (nominate again)         reject ◀──┘  │ approve
                   ▼                                        ▼
               nominated                            public_notice
                                                   │            │
                                        uphold_objection     appoint
                                                   ▼            ▼
                                               rejected      appointed

Only the appointing department acts on its records; the roles allowed for
each step are in the table below.
"""

import enum
from datetime import date

from flask_babel import lazy_gettext as _l

from workflow.roles import Role
from workflow.states.base import Step, Workflow
from workflow.working_days import add_working_days


class CounselorState(enum.Enum):
    """Where a counselor record stands in its appointment path."""

    DRAFT = "draft"
    NOMINATED = "nominated"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    PUBLIC_NOTICE = "public_notice"
    APPOINTED = "appointed"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    CounselorState.DRAFT: _l("草稿"),
    CounselorState.NOMINATED: _l("已推荐待审核"),
    CounselorState.UNDER_REVIEW: _l("审核中"),
    CounselorState.RETURNED: _l("退回修改"),
    CounselorState.REJECTED: _l("未通过"),
    CounselorState.PUBLIC_NOTICE: _l("公示中"),
    CounselorState.APPOINTED: _l("已聘任"),
}

S = CounselorState


def department_can_appoint(record, context):
    if not record.department.can_appoint:
        return _l("只有县级及以上农业农村部门可以指定或聘任辅导员。")
    return None


def notice_period_over(record, context):
    if record.notice_ends_on is None or context.today <= record.notice_ends_on:
        return _l(
            "公示期至 %(date)s 结束，公示期满后方可聘任。",
            date=record.notice_ends_on,
        )
    return None


def appointment_recorded(record, context):
    # An appointment made before the registry existed is imported with the
    # dates and certificate number printed on its certificate.
    if not (record.appointed_on and record.certificate_number):
        return _l("导入已聘任人员须填写聘任日期和证书编号。")
    if not (record.term_starts_on and record.term_ends_on):
        return _l("导入已聘任人员须填写聘期开始和结束日期。")
    if record.appointed_on > context.today:
        return _l("聘任日期不能晚于今天。")
    if record.term_ends_on <= record.term_starts_on:
        return _l("聘期结束日期应晚于开始日期。")
    return None


def mark_submitted(record, context):
    record.submitted_at = context.now


def start_public_notice(record, context):
    record.notice_starts_on = context.today
    record.notice_ends_on = add_working_days(context.today, record.notice_working_days)


def appoint(record, context):
    # Imported here: the certificate counter is a model, and the models
    # import this module for CounselorState.
    from workflow.certificates import issue_certificate_number

    today = context.today
    record.appointed_on = today
    record.term_starts_on = today
    record.term_ends_on = term_end(today, record.term_years)
    record.certificate_number = issue_certificate_number(record.department, today)


def term_end(start: date, years: int) -> date:
    """Return the last day of a term of ``years`` starting on ``start``."""
    # A term of N years ends the day before the same date N years later;
    # 29 February maps to 28 February in a year that lacks it.
    try:
        anniversary = start.replace(year=start.year + years)
    except ValueError:
        anniversary = start.replace(year=start.year + years, day=28)
    return date.fromordinal(anniversary.toordinal() - 1)


ADMIN = frozenset({Role.REGISTRY_ADMIN})
REVIEWERS = frozenset({Role.REVIEWER})
SIGN_OFF = frozenset({Role.REVIEWER, Role.LEADER})

STEPS = (
    Step("nominate", (S.DRAFT, S.RETURNED), S.NOMINATED, ADMIN,
         _l("提交推荐"), effects=(mark_submitted,)),
    Step("start_review", (S.NOMINATED,), S.UNDER_REVIEW, REVIEWERS,
         _l("受理审核")),
    Step("approve", (S.UNDER_REVIEW,), S.PUBLIC_NOTICE, REVIEWERS,
         _l("审核通过并开始公示"), effects=(start_public_notice,)),
    Step("return_for_revision", (S.UNDER_REVIEW,), S.RETURNED, REVIEWERS,
         _l("退回修改"), needs_reason=True, style="secondary"),
    Step("reject", (S.UNDER_REVIEW,), S.REJECTED, REVIEWERS,
         _l("不予通过"), needs_reason=True, style="danger"),
    Step("uphold_objection", (S.PUBLIC_NOTICE,), S.REJECTED, SIGN_OFF,
         _l("公示异议成立"), needs_reason=True, style="danger"),
    Step("appoint", (S.PUBLIC_NOTICE,), S.APPOINTED, SIGN_OFF,
         _l("公示期满，聘任"),
         guards=(department_can_appoint, notice_period_over),
         effects=(appoint,)),
    Step("import_appointed", (S.DRAFT,), S.APPOINTED, ADMIN,
         _l("导入既有聘任记录"),
         guards=(department_can_appoint, appointment_recorded),
         interactive=False),
)  # fmt: skip

COUNSELOR_WORKFLOW = Workflow("counselor", CounselorState, STEPS)
