"""The service-center filing and supervision workflow.

    draft ──submit──▶ submitted ──start_review──▶ under_review ──file──▶ filed
      ▲                                            │      │
      └──── returned ◀──return_for_revision────────┘      └─reject─▶ rejected

    filed ──pass_evaluation──▶ filed (kept)
    filed ──fail_evaluation / order_rectification──▶ rectifying (deadline)
    rectifying ──submit_rectification──▶ rectification_submitted
    rectification_submitted ──accept_rectification──▶ filed
    filed / rectifying (deadline passed) / rectification_submitted
          ──revoke──▶ revoked
    any state before a final one ──withdraw──▶ withdrawn

Department reviewers decide; the center's own account submits the
application and its rectification report, and may withdraw.
"""

import enum

from flask_babel import lazy_gettext as _l

from workflow.center_entry_checks import entry_check_failures
from workflow.roles import Role
from workflow.states.base import Step, Workflow


class CenterState(enum.Enum):
    """The stage of a service center from application to revocation."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    REJECTED = "rejected"
    FILED = "filed"
    RECTIFYING = "rectifying"
    RECTIFICATION_SUBMITTED = "rectification_submitted"
    REVOKED = "revoked"
    WITHDRAWN = "withdrawn"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    CenterState.DRAFT: _l("草稿"),
    CenterState.SUBMITTED: _l("已提交待受理"),
    CenterState.UNDER_REVIEW: _l("审核中"),
    CenterState.RETURNED: _l("退回修改"),
    CenterState.REJECTED: _l("未通过"),
    CenterState.FILED: _l("已备案"),
    CenterState.RECTIFYING: _l("限期整改中"),
    CenterState.RECTIFICATION_SUBMITTED: _l("整改待验收"),
    CenterState.REVOKED: _l("已撤销备案"),
    CenterState.WITHDRAWN: _l("已主动退出"),
}

S = CenterState

# States in which the center is on the public list of filed centers.
FILED_STATES = (S.FILED, S.RECTIFYING, S.RECTIFICATION_SUBMITTED)
# States that end an application; the organisation may then apply again.
CLOSED_STATES = (S.REJECTED, S.REVOKED, S.WITHDRAWN)
EDITABLE_STATES = (S.DRAFT, S.RETURNED)


def is_center_account(record, context):
    if context.actor.organisation_id != record.organisation_id:
        return _l("只有该服务中心自己的申请账号可以办理此事项。")
    return None


def meets_entry_checks(record, context):
    failures = entry_check_failures(record, context.today)
    if failures:
        return _l(
            "尚不符合备案条件，还需：%(items)s。",
            items="；".join(str(item) for item in failures),
        )
    return None


def new_deadline_in_future(record, context):
    deadline = context.params.get("deadline")
    if deadline is None or deadline <= context.today:
        return _l("整改期限应晚于今天。")
    return None


def rectification_deadline_open(record, context):
    deadline = record.rectification_deadline
    if deadline is not None and context.today > deadline:
        return _l(
            "整改期限已于 %(date)s 届满，不能再提交整改报告，请联系备案部门。",
            date=deadline,
        )
    return None


def rectification_deadline_passed(record, context):
    # Revoking a center that is still within its rectification period
    # would cut the period short. A filed center with a serious violation
    # can still be revoked directly from the filed state.
    deadline = record.rectification_deadline
    if record.state is S.RECTIFYING and deadline and context.today <= deadline:
        return _l(
            "整改期限至 %(date)s，期限届满前不能以未整改为由撤销备案。",
            date=deadline,
        )
    return None


def evaluation_passes(record, context):
    evaluation = context.params.get("evaluation")
    if evaluation is None or not evaluation.passed:
        return _l("监督评价得分低于保留分数线，应责令整改。")
    return None


def evaluation_fails(record, context):
    evaluation = context.params.get("evaluation")
    if evaluation is None or evaluation.passed:
        return _l("监督评价得分达到保留分数线，不需要整改。")
    return None


def mark_submitted(record, context):
    record.submitted_at = context.now


def file_center(record, context):
    # Imported here: these modules use the models, which import this one.
    from workflow.center_prices import publish_price_list
    from workflow.filing import issue_filing_number

    record.filed_on = context.today
    record.filing_number = issue_filing_number(record.department, context.today)
    publish_price_list(record, context.actor, context.now)


def record_evaluation(record, context):
    from workflow.supervision import add_evaluation

    add_evaluation(record, context)


def open_rectification(record, context):
    from workflow.supervision import add_rectification

    add_rectification(record, context)


def file_rectification_report(record, context):
    from workflow.supervision import file_report

    file_report(record, context)


def accept_rectification(record, context):
    from workflow.supervision import close_rectification

    close_rectification(record, context, "accepted")


def close_center(record, context):
    from workflow.supervision import close_rectification

    record.closed_on = context.today
    close_rectification(record, context, record.state.value)


APPLICANT = frozenset({Role.CENTER_APPLICANT})
REVIEWERS = frozenset({Role.REVIEWER})
SIGN_OFF = frozenset({Role.REVIEWER, Role.LEADER})
OPEN_STATES = tuple(state for state in S if state not in CLOSED_STATES)

STEPS = (
    Step("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, APPLICANT,
         _l("提交备案申请"), guards=(is_center_account, meets_entry_checks),
         effects=(mark_submitted,)),
    Step("start_review", (S.SUBMITTED,), S.UNDER_REVIEW, REVIEWERS,
         _l("受理审核")),
    Step("file", (S.UNDER_REVIEW,), S.FILED, SIGN_OFF,
         _l("审核通过，予以备案"), guards=(meets_entry_checks,),
         effects=(file_center,)),
    Step("return_for_revision", (S.UNDER_REVIEW,), S.RETURNED, REVIEWERS,
         _l("退回修改"), needs_reason=True, style="secondary"),
    Step("reject", (S.UNDER_REVIEW,), S.REJECTED, REVIEWERS,
         _l("不予备案"), needs_reason=True, style="danger"),
    Step("pass_evaluation", (S.FILED,), S.FILED, REVIEWERS,
         _l("监督评价：保留"), guards=(evaluation_passes,),
         effects=(record_evaluation,), in_queue=False),
    Step("fail_evaluation", (S.FILED,), S.RECTIFYING, REVIEWERS,
         _l("监督评价：限期整改"), needs_reason=True,
         guards=(evaluation_fails, new_deadline_in_future),
         effects=(record_evaluation, open_rectification), in_queue=False),
    Step("order_rectification", (S.FILED,), S.RECTIFYING, REVIEWERS,
         _l("责令限期整改"), needs_reason=True, style="secondary",
         guards=(new_deadline_in_future,), effects=(open_rectification,),
         in_queue=False),
    Step("submit_rectification", (S.RECTIFYING,), S.RECTIFICATION_SUBMITTED,
         APPLICANT, _l("提交整改报告"), needs_reason=True,
         guards=(is_center_account, rectification_deadline_open),
         effects=(file_rectification_report,)),
    Step("accept_rectification", (S.RECTIFICATION_SUBMITTED,), S.FILED,
         REVIEWERS, _l("整改验收通过，保留备案"), effects=(accept_rectification,)),
    Step("revoke", (S.FILED, S.RECTIFYING, S.RECTIFICATION_SUBMITTED),
         S.REVOKED, SIGN_OFF, _l("撤销备案"), needs_reason=True, style="danger",
         guards=(rectification_deadline_passed,), effects=(close_center,),
         in_queue=False),
    Step("withdraw", tuple(s for s in OPEN_STATES), S.WITHDRAWN, APPLICANT,
         _l("主动退出"), needs_reason=True, style="danger",
         guards=(is_center_account,), effects=(close_center,), in_queue=False),
)  # fmt: skip

CENTER_WORKFLOW = Workflow(
    "service_center", CenterState, STEPS, label=_l("服务中心备案与监督流程")
)
