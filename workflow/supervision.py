"""Yearly supervision of filed centers and the rectification that may follow.

A department scores each filed center once a year on service quality, how
well it is run and the served entities' satisfaction, each 0 to 100. The
weighted score decides the outcome: at or above the pass score the center
is kept; below it, the center must rectify by a deadline. The weights and
the pass score are settings copied onto each evaluation.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workflow import engine
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.jurisdiction import load_visible
from workflow.models.service_agreement import CenterServiceRecord
from workflow.models.service_center import ServiceCenter
from workflow.models.supervision import Rectification, SupervisionEvaluation

logger = logging.getLogger(__name__)

INDICATORS = {
    "service_quality": _l("服务质量"),
    "management": _l("规范化水平"),
    "satisfaction": _l("主体满意度"),
}


@dataclass(frozen=True)
class Evaluation:
    """Scores of one evaluation and the outcome they lead to."""

    year: int
    scores: dict
    weights: dict
    total: Decimal
    pass_score: int

    @property
    def passed(self):
        return self.total >= self.pass_score


def score_evaluation(year, scores):
    """Weigh ``scores`` (indicator → 0-100) by the configured weights.

    Raises ``DomainValidationError`` for the first score that is missing,
    not a number or outside 0-100.
    """
    weights = dict(current_app.config["CENTER_EVALUATION_WEIGHTS"])
    checked = {name: _check_score(name, scores.get(name)) for name in INDICATORS}
    weighted = sum(checked[name] * weights[name] for name in INDICATORS)
    total = (weighted / sum(weights.values())).quantize(Decimal("0.01"))
    return Evaluation(
        year=year,
        scores=checked,
        weights=weights,
        total=total,
        pass_score=current_app.config["CENTER_EVALUATION_PASS_SCORE"],
    )


def _check_score(name, value):
    try:
        score = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or not 0 <= score <= 100:
        raise DomainValidationError(
            name,
            f"score {name}={value!r} is not a number from 0 to 100",
            _l("%(indicator)s得分应为0至100之间的数字。", indicator=INDICATORS[name]),
        )
    return score.quantize(Decimal("0.01"))


def evaluate_center(actor, center_id, evaluation, comment, deadline, version):
    """Record ``evaluation`` and keep the center or order rectification; commit.

    ``deadline`` is required when the evaluation fails. Raises
    ``DomainValidationError`` when the center was already evaluated for
    that year.
    """
    center = load_visible(actor, ServiceCenter, center_id)
    if _evaluated_in(center.id, evaluation.year):
        raise DomainValidationError(
            "year",
            f"center {center_id} already evaluated for {evaluation.year}",
            _l(
                "该服务中心 %(year)s 年度已完成监督评价，不能重复评价。",
                year=evaluation.year,
            ),
        )
    trigger = "pass_evaluation" if evaluation.passed else "fail_evaluation"
    return engine.fire(
        ServiceCenter,
        center_id,
        trigger,
        actor,
        expected_version=version,
        comment=comment,
        params={"evaluation": evaluation, "deadline": deadline},
    )


def order_rectification(actor, center_id, deadline, reason, version):
    """Order a filed center to rectify by ``deadline`` outside an evaluation."""
    return engine.fire(
        ServiceCenter,
        center_id,
        "order_rectification",
        actor,
        expected_version=version,
        comment=reason,
        params={"deadline": deadline},
    )


def _evaluated_in(center_id, year):
    return db.session.scalar(
        select(SupervisionEvaluation.id).where(
            SupervisionEvaluation.center_id == center_id,
            SupervisionEvaluation.year == year,
        )
    )


def satisfaction_average(center_id, year):
    """Return the mean satisfaction (1-5) of the center's records in ``year``."""
    return db.session.scalar(
        select(func.avg(CenterServiceRecord.satisfaction)).where(
            CenterServiceRecord.center_id == center_id,
            func.extract("year", CenterServiceRecord.served_on) == year,
        )
    )


def add_evaluation(center, context):
    """Add the evaluation in ``context.params`` to the session (a step effect)."""
    evaluation = context.params["evaluation"]
    db.session.add(
        SupervisionEvaluation(
            center_id=center.id,
            year=evaluation.year,
            **evaluation.scores,
            **{f"{name}_weight": w for name, w in evaluation.weights.items()},
            total=evaluation.total,
            pass_score=evaluation.pass_score,
            passed=evaluation.passed,
            comment=context.comment,
            evaluated_at=context.now,
            evaluated_by_id=context.actor.id,
        )
    )


def add_rectification(center, context):
    """Open a rectification order with the deadline in ``context.params``."""
    evaluation = context.params.get("evaluation")
    evaluation_id = _evaluated_in(center.id, evaluation.year) if evaluation else None
    deadline = context.params["deadline"]
    db.session.add(
        Rectification(
            center_id=center.id,
            evaluation_id=evaluation_id,
            reason=context.comment,
            ordered_on=context.today,
            deadline=deadline,
            ordered_by_id=context.actor.id,
        )
    )
    center.rectification_deadline = deadline


def pending_rectification(center_id):
    """Return the center's rectification order still waiting for an outcome."""
    return db.session.scalars(
        select(Rectification)
        .where(Rectification.center_id == center_id, Rectification.outcome.is_(None))
        .order_by(Rectification.id.desc())
        .limit(1)
    ).first()


def file_report(center, context):
    """Attach the center's report (the step comment) to its open order."""
    rectification = pending_rectification(center.id)
    rectification.report = context.comment
    rectification.submitted_at = context.now


def close_rectification(center, context, outcome):
    """Give the open order, if any, its ``outcome`` and clear the deadline."""
    rectification = pending_rectification(center.id)
    if rectification is not None:
        rectification.outcome = outcome
        rectification.decided_on = context.today
    center.rectification_deadline = None


def evaluations_of(center_id):
    """Return the center's evaluations, latest year first."""
    return db.session.scalars(
        select(SupervisionEvaluation)
        .where(SupervisionEvaluation.center_id == center_id)
        .order_by(SupervisionEvaluation.year.desc())
    ).all()


def rectifications_of(center_id):
    """Return the center's rectification orders, latest first."""
    return db.session.scalars(
        select(Rectification)
        .where(Rectification.center_id == center_id)
        .order_by(Rectification.id.desc())
    ).all()
