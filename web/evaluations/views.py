"""Evaluation round pages.

The list and opening form, the board, the deadline, the steps, each
counselor's self-assessment and scoring.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from web.form_errors import show_domain_error
from workflow import clock, engine
from workflow.errors import DomainValidationError, NotPermitted, RecordNotFound
from workflow.evaluation_deadlines import (
    change_deadline,
    check_may_change,
    may_change_deadline,
)
from workflow.evaluation_figures import year_figures
from workflow.evaluation_rounds import board, open_round, rounds_of
from workflow.evaluation_scoring import (
    indicator_label,
    score_counselor,
    submit_self_assessment,
)
from workflow.extensions import db
from workflow.forms.counselor import StepForm
from workflow.forms.evaluation import (
    OpenRoundForm,
    RoundDeadlineForm,
    SelfAssessmentForm,
    score_form_class,
)
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.audit import AuditEvent
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.roles import STAFF_ROLES, Role
from workflow.states.evaluation import EvaluationRoundState

blueprint = Blueprint("evaluations", __name__, url_prefix="/evaluations")

ACTION_LABELS = {
    "open": _l("发起评价"),
    "change_deadline": _l("修改截止日期"),
    "self_assess": _l("提交自评"),
    "score": _l("评分"),
    "adjust_score": _l("调整评分"),
}


def _round_url(round_id):
    return url_for("evaluations.show", round_id=round_id)


@blueprint.route("/", methods=["GET", "POST"])
@login_required
def index():
    if current_user.is_self_service:
        abort(404)
    # Rounds list the department's counselors; only its staff use them.
    if not current_user.has_role(*STAFF_ROLES):
        abort(403)
    form = OpenRoundForm()
    if not form.is_submitted():
        form.year.data = clock.now().year - 1
    if form.validate_on_submit():
        try:
            round_ = open_round(current_user, form.year.data, form.deadline.data)
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            flash(_("已发起%(year)s年度评价。", year=round_.year), "success")
            return redirect(_round_url(round_.id), code=303)
    return render_template(
        "evaluations/index.html",
        form=form,
        rounds=rounds_of(current_user.department_id),
        may_open=current_user.has_role(Role.REVIEWER, Role.LEADER)
        and current_user.department.can_appoint,
    )


@blueprint.route("/<int:round_id>")
@login_required
def show(round_id):
    round_ = load_visible(current_user, EvaluationRound, round_id)
    return _render_round(round_)


def _render_round(round_, deadline_form=None):
    steps = engine.available_steps(current_user, round_)
    if deadline_form is None and may_change_deadline(current_user, round_):
        deadline_form = RoundDeadlineForm(
            deadline=round_.deadline, version=round_.version
        )
    history = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == EvaluationRound.__tablename__,
            AuditEvent.record_id == round_.id,
        )
        .order_by(AuditEvent.id)
    ).all()
    return render_template(
        "evaluations/show.html",
        round=round_,
        board=board(round_),
        step_forms=[
            (step, StepForm(trigger=step.trigger, version=round_.version))
            for step in steps
        ],
        history=history,
        deadline_form=deadline_form,
        reminder_days=current_app.config["EVALUATION_REMINDER_DAYS"],
        action_labels={
            **ACTION_LABELS,
            **{t: s.label for t, s in EvaluationRound.__workflow__.steps.items()},
        },
        state_labels={state.value: state.label for state in EvaluationRoundState},
        indicator_label=indicator_label,
    )


@blueprint.route("/<int:round_id>/deadline", methods=["POST"])
@login_required
def deadline(round_id):
    round_ = load_visible(current_user, EvaluationRound, round_id)
    check_may_change(current_user, round_)
    form = RoundDeadlineForm()
    if not form.validate_on_submit():
        return _render_round(round_, deadline_form=form), 422
    try:
        version = int(form.version.data)
    except ValueError:
        abort(400)
    try:
        change_deadline(current_user, round_id, form.deadline.data, version)
    except DomainValidationError as error:
        show_domain_error(form, error)
        return _render_round(round_, deadline_form=form), 422
    flash(_("截止日期已修改。"), "success")
    return redirect(_round_url(round_id), code=303)


@blueprint.route("/<int:round_id>/step", methods=["POST"])
@login_required
def step(round_id):
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data)
    except ValueError:
        abort(400)
    round_ = engine.fire(
        EvaluationRound,
        round_id,
        form.trigger.data,
        current_user,
        expected_version=version,
        comment=form.comment.data,
    )
    label = round_.__workflow__.step(form.trigger.data).label
    flash(_("已完成：%(step)s。", step=label), "success")
    return redirect(_round_url(round_id), code=303)


def _load_entry(round_id, entry_id):
    entry = db.session.get(EvaluationEntry, entry_id)
    if entry is None or entry.round_id != round_id:
        abort(404)
    if current_user.is_self_service:
        if entry.counselor_id != current_user.counselor_id:
            abort(404)
    else:
        load_visible(current_user, EvaluationRound, round_id)
    return entry


def _score_form(round_, entry, formdata=None):
    indicators = [(key, indicator_label(key)) for key, _w in round_.weights]
    form_class = score_form_class(indicators)
    if formdata is not None:
        return form_class()
    return form_class(
        scores=entry.indicator_scores or {}, counselor_id=entry.counselor_id
    )


@blueprint.route("/<int:round_id>/entries/<int:entry_id>")
@login_required
def entry(round_id, entry_id):
    entry = _load_entry(round_id, entry_id)
    return _render_entry(entry)


def _render_entry(entry, self_form=None, score_form=None):
    round_ = entry.round
    may_self_assess = round_.state is EvaluationRoundState.OPENED and (
        current_user.is_self_service
        or (
            is_owner(current_user, round_)
            and current_user.has_role(Role.REGISTRY_ADMIN)
        )
    )
    may_score = (
        round_.state is EvaluationRoundState.SCORING
        and is_owner(current_user, round_)
        and current_user.has_role(Role.REVIEWER)
    )
    if may_self_assess and self_form is None:
        self_form = SelfAssessmentForm(obj=entry)
    if may_score and score_form is None:
        score_form = _score_form(round_, entry)
    figures = entry.figures
    if figures is None and not current_user.is_self_service:
        figures = year_figures(
            entry.counselor_id,
            round_.year,
            current_app.config["TIMELY_REPORTING_DAYS"],
        ).as_dict()
    return render_template(
        "evaluations/entry.html",
        round=round_,
        entry=entry,
        figures=figures,
        self_form=self_form if may_self_assess else None,
        score_form=score_form if may_score else None,
        indicator_label=indicator_label,
        timely_days=current_app.config["TIMELY_REPORTING_DAYS"],
        show_result=not current_user.is_self_service
        or round_.state is EvaluationRoundState.PUBLISHED,
    )


@blueprint.route(
    "/<int:round_id>/entries/<int:entry_id>/self-assessment", methods=["POST"]
)
@login_required
def self_assessment(round_id, entry_id):
    entry = _load_entry(round_id, entry_id)
    form = SelfAssessmentForm()
    if form.validate_on_submit():
        try:
            submit_self_assessment(
                current_user,
                entry.id,
                form.self_assessment.data,
                form.self_score.data,
            )
        except (DomainValidationError, NotPermitted) as error:
            flash(str(error.user_message), "danger")
        else:
            flash(_("自评已提交。"), "success")
            return redirect(
                url_for("evaluations.entry", round_id=round_id, entry_id=entry_id),
                code=303,
            )
    return _render_entry(entry, self_form=form)


@blueprint.route("/<int:round_id>/entries/<int:entry_id>/score", methods=["POST"])
@login_required
def score(round_id, entry_id):
    entry = _load_entry(round_id, entry_id)
    form = _score_form(entry.round, entry, formdata=True)
    if form.validate_on_submit():
        try:
            score_counselor(
                current_user,
                round_id,
                int(form.counselor_id.data),
                dict(form.scores.data),
                form.reason.data,
            )
        except DomainValidationError as error:
            target = (
                form.scores.form[error.field]
                if error.field in form.scores.form
                else None
            )
            if error.field == "reason":
                target = form.reason
            if target is not None:
                target.errors = list(target.errors) + [str(error.user_message)]
            else:
                flash(str(error.user_message), "danger")
        except (NotPermitted, RecordNotFound) as error:
            flash(str(error.user_message), "danger")
        else:
            flash(_("评分已保存。"), "success")
            return redirect(_round_url(round_id), code=303)
    return _render_entry(entry, score_form=form)
