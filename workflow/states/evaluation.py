"""The yearly evaluation round of a department.

    opened ──start_scoring──▶ scoring ──confirm──▶ confirmed ──publish──▶ published
                                 ▲                     │
                                 └───reopen_scoring────┘

While the round is ``opened`` each counselor's self-assessment is collected,
from the counselor's own account or entered by the department. Scores are
given while it is ``scoring``. Once ``confirmed`` by the department leader
the evaluation year is closed: service and training records of that year
can no longer be changed, and the grades count for renewal.
"""

import enum

from flask_babel import lazy_gettext as _l

from workflow.roles import Role
from workflow.states.base import Step, Workflow


class EvaluationRoundState(enum.Enum):
    """The stage an evaluation round is in."""

    OPENED = "opened"
    SCORING = "scoring"
    CONFIRMED = "confirmed"
    PUBLISHED = "published"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    EvaluationRoundState.OPENED: _l("自评中"),
    EvaluationRoundState.SCORING: _l("评分中"),
    EvaluationRoundState.CONFIRMED: _l("已确认"),
    EvaluationRoundState.PUBLISHED: _l("已公布"),
}

S = EvaluationRoundState

# A round in these states closes its year and its grades are final.
CLOSED_STATES = (S.CONFIRMED, S.PUBLISHED)


def every_self_assessment_in(round_, context):
    missing = round_.count_missing_self_assessments()
    if missing:
        return _l(
            "还有 %(count)s 名辅导员未提交自评，请督促提交或由本部门代为录入。",
            count=missing,
        )
    return None


def every_counselor_scored(round_, context):
    missing = round_.count_unscored()
    if missing:
        return _l("还有 %(count)s 名辅导员未评分，不能确认。", count=missing)
    return None


REVIEWERS = frozenset({Role.REVIEWER})
LEADERS = frozenset({Role.LEADER})
SIGN_OFF = frozenset({Role.REVIEWER, Role.LEADER})

STEPS = (
    Step("start_scoring", (S.OPENED,), S.SCORING, REVIEWERS,
         _l("自评结束，开始评分"), guards=(every_self_assessment_in,)),
    Step("confirm", (S.SCORING,), S.CONFIRMED, LEADERS,
         _l("确认评价结果"), guards=(every_counselor_scored,)),
    Step("reopen_scoring", (S.CONFIRMED,), S.SCORING, LEADERS,
         _l("退回重新评分"), needs_reason=True, style="secondary"),
    Step("publish", (S.CONFIRMED,), S.PUBLISHED, SIGN_OFF,
         _l("公布评价结果")),
)  # fmt: skip

EVALUATION_ROUND_WORKFLOW = Workflow("evaluation_round", EvaluationRoundState, STEPS)
