"""Self-assessments and scores within an evaluation round.

The reviewer gives each indicator a score from 0 to 100, looking at the
figures computed from the counselor's records. The total is the weighted
mean of the indicator scores, and the grade is the first one whose cut-off
the total reaches. Changing a score already given is an adjustment and
needs a written reason, which the audit trail keeps.
"""

import logging
from decimal import ROUND_HALF_UP, Decimal

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow import clock
from workflow.errors import DomainValidationError, NotPermitted, RecordNotFound
from workflow.evaluation_figures import year_figures
from workflow.evaluation_rounds import _audit
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.roles import Role
from workflow.states.evaluation import EvaluationRoundState

logger = logging.getLogger(__name__)

INDICATOR_LABELS = {
    "entities_served": _l("服务主体数量"),
    "service_records": _l("服务记录"),
    "quality_improvement": _l("服务主体质量提升"),
    "satisfaction": _l("服务对象满意度"),
    "training_hours": _l("培训学时"),
    "timely_reporting": _l("信息报送及时性"),
}
MAX_SELF_ASSESSMENT = 2000


def indicator_label(key):
    """Return the Chinese name of an indicator, or its key if unknown."""
    return INDICATOR_LABELS.get(key, key)


def grade_for(total, cutoffs):
    """Return the grade ``total`` earns under ``cutoffs`` (best first)."""
    for grade, lowest in cutoffs:
        if total >= lowest:
            return grade
    return cutoffs[-1][0]


def weighted_total(weights, scores):
    """Return the weighted mean of ``scores``, rounded to two decimals."""
    weight_sum = sum(weight for _key, weight in weights)
    points = sum(Decimal(weight) * Decimal(scores[key]) for key, weight in weights)
    return (points / weight_sum).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def submit_self_assessment(actor, entry_id, text, self_score):
    """Save a counselor's self-assessment and commit; return the entry.

    The counselor submits it from their own account, or a registry
    administrator of the department enters it for them, while the round is
    collecting self-assessments.
    """
    entry = _load_entry_for_self_assessment(actor, entry_id)
    if entry.round.state is not EvaluationRoundState.OPENED:
        raise DomainValidationError(
            "self_assessment",
            f"round {entry.round_id} is {entry.round.state.value}",
            _l("自评阶段已结束，不能再提交或修改自评。"),
        )
    text = (text or "").strip()
    if not text or len(text) > MAX_SELF_ASSESSMENT:
        raise DomainValidationError(
            "self_assessment",
            "self-assessment is empty or too long",
            _l("请填写自评内容，最多2000字。"),
        )
    if self_score is not None and not 0 <= self_score <= 100:
        raise DomainValidationError(
            "self_score", f"self score {self_score}", _l("自评分应为0至100分。")
        )
    now = clock.now()
    entry.self_assessment = text
    entry.self_score = self_score
    entry.self_assessed_by_id = actor.id
    entry.self_assessed_at = now
    db.session.add(
        _audit(
            entry.round,
            actor,
            "self_assess",
            entry.round.state,
            now,
            comment=entry.counselor.name,
        )
    )
    db.session.commit()
    logger.info("self-assessment of entry %s saved by user %s", entry.id, actor.id)
    return entry


def _load_entry_for_self_assessment(actor, entry_id):
    entry = db.session.get(EvaluationEntry, entry_id)
    if actor.is_self_service:
        if entry is None or entry.counselor_id != actor.counselor_id:
            raise _entry_not_found(entry_id)
        return entry
    if entry is None:
        raise _entry_not_found(entry_id)
    round_ = load_visible(actor, EvaluationRound, entry.round_id)
    if not is_owner(actor, round_) or not actor.has_role(Role.REGISTRY_ADMIN):
        raise NotPermitted(
            f"user {actor.id} may not enter self-assessments of round {round_.id}",
            _l("只有辅导员本人或本部门名录库管理员可以填写自评。"),
        )
    return entry


def _entry_not_found(entry_id):
    return RecordNotFound(f"evaluation entry {entry_id} not found")


def score_counselor(actor, round_id, counselor_id, scores, reason=None):
    """Score one counselor in a round and commit; return the entry.

    ``scores`` maps every indicator of the round to an integer 0–100.
    Re-scoring an entry already scored needs ``reason``.
    """
    round_ = load_visible(actor, EvaluationRound, round_id, for_update=True)
    _check_may_score(actor, round_)
    entry = _participant(round_, counselor_id)
    scores = _checked_scores(round_, scores)
    reason = (reason or "").strip() or None
    if entry.total is not None and reason is None:
        raise DomainValidationError(
            "reason",
            f"entry {entry.id} is already scored",
            _l("该辅导员已评分，调整分数必须填写理由。"),
        )

    previous = entry.total
    figures = year_figures(
        counselor_id, round_.year, current_app.config["TIMELY_REPORTING_DAYS"]
    )
    now = clock.now()
    entry.figures = figures.as_dict()
    entry.indicator_scores = scores
    entry.total = weighted_total(round_.weights, scores)
    entry.grade = grade_for(entry.total, round_.grade_cutoffs)
    entry.failed = entry.grade == round_.failing_grade
    entry.scored_by_id = actor.id
    entry.scored_at = now
    action = "score" if previous is None else "adjust_score"
    comment = _score_comment(entry, previous, reason)
    db.session.add(_audit(round_, actor, action, round_.state, now, comment=comment))
    db.session.commit()
    logger.info(
        "entry %s of round %s scored %s by user %s",
        entry.id,
        round_.id,
        entry.total,
        actor.id,
    )
    return entry


def _check_may_score(actor, round_):
    if not is_owner(actor, round_) or not actor.has_role(Role.REVIEWER):
        raise NotPermitted(
            f"user {actor.id} may not score round {round_.id}",
            _l("只有本部门审核人员可以评分。"),
        )
    if round_.state is not EvaluationRoundState.SCORING:
        raise DomainValidationError(
            "scores",
            f"round {round_.id} is {round_.state.value}, not scoring",
            _l("评价批次当前不在评分阶段。"),
        )


def _participant(round_, counselor_id):
    entry = db.session.scalars(
        select(EvaluationEntry).where(
            EvaluationEntry.round_id == round_.id,
            EvaluationEntry.counselor_id == counselor_id,
        )
    ).first()
    if entry is None:
        raise DomainValidationError(
            "counselor",
            f"counselor {counselor_id} is not in round {round_.id}",
            _l(
                "该辅导员%(year)s年度不在本部门聘任，不在本批次评价范围内。",
                year=round_.year,
            ),
        )
    return entry


def _checked_scores(round_, scores):
    checked = {}
    for key, _weight in round_.weights:
        value = scores.get(key)
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise DomainValidationError(
                key,
                f"indicator {key} score {value!r} is not an integer 0-100",
                _l("“%(name)s”应为0至100的整数。", name=indicator_label(key)),
            )
        checked[key] = value
    return checked


def _score_comment(entry, previous, reason):
    name = entry.counselor.name
    if previous is None:
        return f"{name}：{entry.total}（{entry.grade}）"
    return f"{name}：{previous} → {entry.total}（{entry.grade}）。{reason}"
