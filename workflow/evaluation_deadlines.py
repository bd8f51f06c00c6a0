"""The deadline of an evaluation round: checking it and changing it.

A round's deadline is the last day, inclusive, to finish evaluating its
counselors. It is set when the round opens and may be changed while the
round is still open (collecting self-assessments or scoring). Once the
round is confirmed its grades are final and the deadline is kept as it was.
The reminder sweep reads it; see notifications/evaluation_sweep.py.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from workflow import clock
from workflow.engine import record_event, stale_decision
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.evaluation import EvaluationRound
from workflow.roles import Role
from workflow.states.evaluation import EvaluationRoundState

logger = logging.getLogger(__name__)

# States in which the round is still open and its deadline may change.
EDITABLE_STATES = (EvaluationRoundState.OPENED, EvaluationRoundState.SCORING)


def check_deadline(deadline, starts_on, today):
    """Raise ``DomainValidationError`` unless ``deadline`` suits the round.

    The deadline may not lie in the past and must fall after ``starts_on``,
    the day the round opened.
    """
    if deadline is None:
        raise DomainValidationError(
            "deadline",
            "no deadline given",
            _l("请填写评价截止日期，格式如 2026-03-31。"),
        )
    if deadline < today:
        raise DomainValidationError(
            "deadline",
            f"deadline {deadline} is before today {today}",
            _l("截止日期不能早于今天（%(today)s）。", today=today.isoformat()),
        )
    if deadline <= starts_on:
        raise DomainValidationError(
            "deadline",
            f"deadline {deadline} is not after the round's start {starts_on}",
            _l(
                "截止日期应晚于评价发起日期（%(starts_on)s）。",
                starts_on=starts_on.isoformat(),
            ),
        )


def change_deadline(actor, round_id, deadline, expected_version=None):
    """Move a round's deadline to ``deadline``, audit it and commit.

    Returns the round. Raises ``RecordNotFound`` outside the actor's
    jurisdiction, ``NotPermitted`` for another department or role,
    ``StaleDecision`` when ``expected_version`` is out of date and
    ``DomainValidationError`` for a closed round or a bad date. The same
    date again changes nothing and writes no audit event.
    """
    round_ = load_visible(actor, EvaluationRound, round_id, for_update=True)
    check_may_change(actor, round_)
    if expected_version is not None and round_.version != expected_version:
        raise stale_decision(EvaluationRound, round_id)
    _check_still_open(round_)
    now = clock.now()
    check_deadline(deadline, round_.created_at.date(), now.date())
    if deadline == round_.deadline:
        return round_

    previous = round_.deadline
    round_.deadline = deadline
    comment = f"{previous.isoformat() if previous else '未设置'} → {deadline}"
    record_event(round_, actor, "change_deadline", round_.state, now, comment)
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale_decision(EvaluationRound, round_id) from None
    logger.info(
        "evaluation round %s: deadline %s -> %s by user %s",
        round_id,
        previous,
        deadline,
        actor.id,
    )
    return round_


def may_change_deadline(user, round_):
    """Return whether ``user`` may change the deadline of ``round_`` now."""
    return (
        round_.state in EDITABLE_STATES
        and is_owner(user, round_)
        and user.has_role(Role.REVIEWER, Role.LEADER)
    )


def check_may_change(actor, round_):
    """Raise ``NotPermitted`` unless ``actor`` may change the round's deadline."""
    if not is_owner(actor, round_) or not actor.has_role(Role.REVIEWER, Role.LEADER):
        raise NotPermitted(
            f"user {actor.id} may not change the deadline of round {round_.id}",
            _l("只有本部门审核人员或部门负责人可以修改评价截止日期。"),
        )


def _check_still_open(round_):
    if round_.state not in EDITABLE_STATES:
        raise DomainValidationError(
            "deadline",
            f"round {round_.id} is {round_.state.value}; its deadline is fixed",
            _l("评价结果已确认，不能再修改截止日期。"),
        )
