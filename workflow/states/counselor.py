"""The counselor workflow, from nomination to leaving the registry.

    draft ──nominate──▶ nominated ──start_review──▶ under_review
      ▲                                              │  │  │
      └──────── returned ◀──return_for_revision──────┘  │  │
                   │ (nominate again)         reject ◀──┘  │ approve
                   ▼                                        ▼
               nominated                            public_notice
                                                   │            │
                                        uphold_objection     appoint
                                                   ▼            ▼
                                               rejected      appointed ◀─┐
                                                   start_term_ending │   │ renew
                                                                     ▼   │
                                                             term_ending ┘
                                                                     │ transfer_out
                                                                     ▼
                                                             transferred_out

    appointed, term_ending ──strike_off──▶ struck_off ─┐
    appointed, term_ending ──withdraw────▶ withdrawn ──┴─reinstate─▶ appointed

    draft ──import_appointed──▶ appointed   (spreadsheet import only)

Only the appointing department acts on its records; the roles allowed for
each step are in the table below. Guards and effects that need other models
import them inside the function, because the models import this module.
"""

import enum

from flask_babel import lazy_gettext as _l

from workflow.duties import not_own_record, not_the_reviewer
from workflow.roles import Role
from workflow.states.base import Step, Workflow
from workflow.working_days import add_working_days


class CounselorState(enum.Enum):
    """The position of a counselor record in its appointment path."""

    DRAFT = "draft"
    NOMINATED = "nominated"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    PUBLIC_NOTICE = "public_notice"
    APPOINTED = "appointed"
    TERM_ENDING = "term_ending"
    TRANSFERRED_OUT = "transferred_out"
    STRUCK_OFF = "struck_off"
    WITHDRAWN = "withdrawn"

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
    CounselorState.TERM_ENDING: _l("聘期将满"),
    CounselorState.TRANSFERRED_OUT: _l("已调出"),
    CounselorState.STRUCK_OFF: _l("已除名"),
    CounselorState.WITHDRAWN: _l("主动退出"),
}

S = CounselorState

# States of a counselor who serves under an appointment now.
SERVING_STATES = (S.APPOINTED, S.TERM_ENDING)
# States of a person who has an appointment or is on the way to one. One ID
# number may have only one record in these states nationally.
ACTIVE_STATES = (
    S.DRAFT,
    S.NOMINATED,
    S.UNDER_REVIEW,
    S.RETURNED,
    S.PUBLIC_NOTICE,
    *SERVING_STATES,
)
# States of a counselor who has left the registry. The record is kept.
LEFT_STATES = (S.TRANSFERRED_OUT, S.WITHDRAWN)


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


def term_end_is_near(record, context):
    from workflow.terms import term_end_is_near as check

    return check(record, context.today)


def no_failing_evaluation(record, context):
    from workflow.terms import failing_grade_in_current_term

    grade = failing_grade_in_current_term(record)
    if grade is not None:
        return _l(
            "本聘期内有年度评价为“%(grade)s”，不能续聘；请办理调出。", grade=grade
        )
    return None


def breach_documented(record, context):
    from workflow.conduct import check_breach_details

    return check_breach_details(context.params)


def may_reinstate(record, context):
    from workflow.terms import reinstatement_refusal

    return reinstatement_refusal(record, context.today)


def appoint(record, context):
    from workflow.terms import open_first_term

    record.appointed_on = context.today
    open_first_term(record, context.today)


def renew(record, context):
    from workflow.terms import open_renewed_term

    open_renewed_term(record, context.today)


def end_term(record, context):
    from workflow.terms import end_current_term

    end_current_term(record, context.today)


def strike_off(record, context):
    from workflow.conduct import record_strike_off

    record_strike_off(record, context)


def reinstate(record, context):
    from workflow.terms import reopen_term

    reopen_term(record, context.today)


def record_imported_term(record, context):
    from workflow.terms import open_imported_term

    open_imported_term(record, context.added_rows)


ADMIN = frozenset({Role.REGISTRY_ADMIN})
REVIEWERS = frozenset({Role.REVIEWER})
SIGN_OFF = frozenset({Role.REVIEWER, Role.LEADER})
LEADERS = frozenset({Role.LEADER})
# The daily job acts as its department's system account. A reviewer can
# take the same step by hand when the job has not run.
TERM_WATCH = frozenset({Role.SYSTEM, Role.REVIEWER})

STEPS = (
    Step("nominate", (S.DRAFT, S.RETURNED), S.NOMINATED, ADMIN,
         _l("提交推荐"), effects=(mark_submitted,)),
    Step("start_review", (S.NOMINATED,), S.UNDER_REVIEW, REVIEWERS,
         _l("受理审核"), keeps_claim=True),
    Step("approve", (S.UNDER_REVIEW,), S.PUBLIC_NOTICE, REVIEWERS,
         _l("审核通过并开始公示"), guards=(not_own_record,),
         effects=(start_public_notice,)),
    Step("return_for_revision", (S.UNDER_REVIEW,), S.RETURNED, REVIEWERS,
         _l("退回修改"), needs_reason=True, style="secondary"),
    Step("reject", (S.UNDER_REVIEW,), S.REJECTED, REVIEWERS,
         _l("不予通过"), needs_reason=True, style="danger"),
    Step("uphold_objection", (S.PUBLIC_NOTICE,), S.REJECTED, SIGN_OFF,
         _l("公示异议成立"), needs_reason=True, style="danger"),
    Step("appoint", (S.PUBLIC_NOTICE,), S.APPOINTED, SIGN_OFF,
         _l("公示期满，聘任"),
         guards=(department_can_appoint, notice_period_over, not_own_record,
                 not_the_reviewer),
         effects=(appoint,)),
    Step("import_appointed", (S.DRAFT,), S.APPOINTED, ADMIN,
         _l("导入既有聘任记录"),
         guards=(department_can_appoint, appointment_recorded),
         effects=(record_imported_term,), interactive=False, in_queue=False),
    Step("start_term_ending", (S.APPOINTED,), S.TERM_ENDING, TERM_WATCH,
         _l("聘期将满，进入续聘办理"), style="secondary",
         guards=(term_end_is_near,), in_queue=False),
    Step("renew", (S.TERM_ENDING,), S.APPOINTED, SIGN_OFF,
         _l("续聘"),
         guards=(department_can_appoint, no_failing_evaluation),
         effects=(renew,)),
    Step("transfer_out", (S.TERM_ENDING,), S.TRANSFERRED_OUT, SIGN_OFF,
         _l("不再续聘，调出名录"), needs_reason=True, style="secondary",
         effects=(end_term,)),
    Step("strike_off", (S.APPOINTED, S.TERM_ENDING), S.STRUCK_OFF, SIGN_OFF,
         _l("违规除名"), needs_reason=True, style="danger",
         guards=(breach_documented,), effects=(strike_off,), in_queue=False),
    Step("withdraw", (S.APPOINTED, S.TERM_ENDING), S.WITHDRAWN, SIGN_OFF,
         _l("主动退出"), needs_reason=True, style="secondary",
         effects=(end_term,), in_queue=False),
    Step("reinstate", (S.STRUCK_OFF, S.WITHDRAWN), S.APPOINTED, LEADERS,
         _l("恢复聘任"), needs_reason=True,
         guards=(department_can_appoint, may_reinstate),
         effects=(reinstate,), in_queue=False),
)  # fmt: skip

COUNSELOR_WORKFLOW = Workflow(
    "counselor", CounselorState, STEPS, label=_l("辅导员推荐聘任流程")
)
