"""Decisions on a service center: review, supervision, rectification, exit."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from workflow import clock, engine, service_centers, supervision
from workflow.errors import RecordNotFound, WorkflowError
from workflow.extensions import db
from workflow.forms.counselor import StepForm
from workflow.forms.supervision import (
    CenterReviewForm,
    EvaluationForm,
    RectificationOrderForm,
)
from workflow.models.audit import AuditEvent
from workflow.models.service_center import ServiceCenter
from workflow.states.service_center import CenterState

blueprint = Blueprint("supervision", __name__, url_prefix="/centers")

REVIEW_DECISIONS = ("file", "return_for_revision", "reject")
EVALUATION_STEPS = ("pass_evaluation", "fail_evaluation")
# Steps with a form of their own rather than a plain button.
OWN_FORMS = REVIEW_DECISIONS + EVALUATION_STEPS + ("order_rectification",)


def decision_forms(center):
    """Return what the center page needs to show its history and steps."""
    steps = engine.available_steps(current_user, center)
    triggers = {step.trigger for step in steps}
    today = clock.now().date()
    version = center.version
    return {
        "history": _history(center),
        "action_labels": _action_labels(),
        "state_labels": {state.value: state.label for state in CenterState},
        "evaluations": supervision.evaluations_of(center.id),
        "rectifications": supervision.rectifications_of(center.id),
        "review_form": CenterReviewForm(version=version)
        if triggers >= set(REVIEW_DECISIONS)
        else None,
        "evaluation_form": _evaluation_form(center, today)
        if triggers >= set(EVALUATION_STEPS)
        else None,
        "order_form": RectificationOrderForm(
            version=version, deadline=_default_deadline(today)
        )
        if "order_rectification" in triggers
        else None,
        "step_forms": [
            (step, StepForm(trigger=step.trigger, version=version))
            for step in steps
            if step.trigger not in OWN_FORMS
        ],
        "weights": current_app.config["CENTER_EVALUATION_WEIGHTS"],
        "pass_score": current_app.config["CENTER_EVALUATION_PASS_SCORE"],
    }


def _evaluation_form(center, today):
    year = today.year - 1 if today.month <= 6 else today.year
    form = EvaluationForm(version=center.version, year=year)
    form.deadline.data = _default_deadline(today)
    average = supervision.satisfaction_average(center.id, year)
    form.satisfaction_hint = (
        _("%(year)s年服务记录的平均满意度为 %(avg).1f 分（满分5分）。",
          year=year, avg=float(average))
        if average is not None
        else _("%(year)s年尚无服务记录。", year=year)
    )  # fmt: skip
    return form


def _default_deadline(today):
    return today + timedelta(days=current_app.config["CENTER_RECTIFICATION_DAYS"])


def _history(center):
    return db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == ServiceCenter.__tablename__,
            AuditEvent.record_id == center.id,
        )
        .order_by(AuditEvent.id)
    ).all()


def _action_labels():
    labels = {
        trigger: step.label
        for trigger, step in ServiceCenter.__workflow__.steps.items()
    }
    labels.update(service_centers.ACTION_LABELS)
    return labels


def _back(center_id):
    return redirect(url_for("centers.show", center_id=center_id), code=303)


def _flash_form_errors(form):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "danger")


def _version(form):
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        abort(400)


def _decide(center_id, action):
    """Run ``action`` and turn a refusal into a message on the center page."""
    try:
        center = action()
    except RecordNotFound:
        abort(404)
    except WorkflowError as error:
        flash(str(error.user_message), "danger")
        return _back(center_id)
    flash(_("已办理，当前状态：%(state)s。", state=center.state.label), "success")
    if center.state is CenterState.FILED and center.filing_number:
        flash(_("备案编号：%(number)s", number=center.filing_number), "success")
    return _back(center_id)


def _fire(center_id, trigger, comment, version, params=None):
    return lambda: engine.fire(
        ServiceCenter,
        center_id,
        trigger,
        current_user,
        expected_version=version,
        comment=comment,
        params=params,
    )


@blueprint.route("/<int:center_id>/step", methods=["POST"])
@login_required
def step(center_id):
    form = StepForm()
    if not form.validate_on_submit() or form.trigger.data in OWN_FORMS:
        abort(400)
    return _decide(
        center_id,
        _fire(center_id, form.trigger.data, form.comment.data, _version(form)),
    )


@blueprint.route("/<int:center_id>/review", methods=["POST"])
@login_required
def review(center_id):
    form = CenterReviewForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(center_id)
    return _decide(
        center_id,
        _fire(center_id, form.decision.data, form.reason.data, _version(form)),
    )


@blueprint.route("/<int:center_id>/evaluation", methods=["POST"])
@login_required
def evaluate(center_id):
    form = EvaluationForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(center_id)

    def action():
        evaluation = supervision.score_evaluation(form.year.data, form.scores())
        return supervision.evaluate_center(
            current_user,
            center_id,
            evaluation,
            form.comment.data,
            form.deadline.data,
            _version(form),
        )

    return _decide(center_id, action)


@blueprint.route("/<int:center_id>/rectification-order", methods=["POST"])
@login_required
def order_rectification(center_id):
    form = RectificationOrderForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(center_id)
    return _decide(
        center_id,
        lambda: supervision.order_rectification(
            current_user,
            center_id,
            form.deadline.data,
            form.reason.data,
            _version(form),
        ),
    )
