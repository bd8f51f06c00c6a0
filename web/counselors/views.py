"""Counselor pages: nominate, edit, read with history, and take steps."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from workflow import annual_figures, clock, engine, nominations
from workflow.errors import DomainValidationError, RecordNotFound, WorkflowError
from workflow.extensions import db
from workflow.forms.annual_report import AnnualFiguresForm
from workflow.forms.counselor import NominationForm, ReviewDecisionForm, StepForm
from workflow.jurisdiction import load_visible
from workflow.models.audit import AuditEvent
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.reporting_window import report_year_on, window_for
from workflow.roles import Role
from workflow.states.counselor import CounselorState

blueprint = Blueprint("counselors", __name__, url_prefix="/counselors")

REVIEW_DECISIONS = ("approve", "return_for_revision", "reject")


def _service_area_choices(department):
    # A department may name itself and any division below it.
    rows = db.session.execute(
        select(Department.code, Department.division_name)
        .where(Department.path.startswith(department.path, autoescape=True))
        .order_by(Department.path)
        .limit(500)
    )
    return [SelectChoice(code, name) for code, name in rows]


def _nomination_form(**kwargs):
    form = NominationForm(**kwargs)
    form.service_area_codes.choices = _service_area_choices(current_user.department)
    return form


def _show_field_error(form, error):
    field = form[error.field] if error.field in form else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.user_message)]
    else:
        flash(str(error.user_message), "danger")


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = _nomination_form()
    if form.validate_on_submit():
        submit = bool(form.submit_nomination.data)
        try:
            record = nominations.create_nomination(current_user, form.values(), submit)
        except DomainValidationError as error:
            _show_field_error(form, error)
        else:
            flash(
                _("推荐已提交，等待审核。") if submit else _("草稿已保存。"), "success"
            )
            return redirect(url_for("counselors.show", record_id=record.id), code=303)
    return render_template("counselors/form.html", form=form, record=None)


@blueprint.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_id):
    record = load_visible(current_user, Counselor, record_id)
    if record.state not in nominations.EDITABLE_STATES:
        flash(_("只有草稿或退回修改的记录可以编辑。"), "warning")
        return redirect(url_for("counselors.show", record_id=record.id))
    form = _nomination_form(obj=record)
    if not form.is_submitted():
        form.version.data = record.version
    if form.validate_on_submit():
        try:
            nominations.update_nomination(
                current_user, record.id, form.values(), _version(form)
            )
        except DomainValidationError as error:
            _show_field_error(form, error)
        else:
            flash(_("修改已保存。"), "success")
            return redirect(url_for("counselors.show", record_id=record.id), code=303)
    return render_template("counselors/form.html", form=form, record=record)


@blueprint.route("/<int:record_id>")
@login_required
def show(record_id):
    record = load_visible(current_user, Counselor, record_id)
    history = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == Counselor.__tablename__,
            AuditEvent.record_id == record.id,
        )
        .order_by(AuditEvent.id)
    ).all()
    steps = engine.available_steps(current_user, record)
    review_form = None
    if {step.trigger for step in steps} >= set(REVIEW_DECISIONS):
        review_form = ReviewDecisionForm(version=record.version)
    other_steps = [
        s for s in steps if review_form is None or s.trigger not in REVIEW_DECISIONS
    ]
    step_forms = [
        (step, StepForm(trigger=step.trigger, version=record.version))
        for step in other_steps
    ]
    return render_template(
        "counselors/show.html",
        record=record,
        service_areas=_division_names(record.service_area_codes),
        action_labels=_action_labels(),
        state_labels={state.value: state.label for state in CounselorState},
        history=history,
        review_form=review_form,
        step_forms=step_forms,
        editable=record.state in nominations.EDITABLE_STATES
        and any(step.trigger == "nominate" for step in steps),
        **_figures_form(record),
    )


def _figures_form(record):
    # Only the appointing department's registry administrators enter the
    # yearly figures, and only for appointed counselors.
    if (
        record.state is not CounselorState.APPOINTED
        or record.department_id != current_user.department_id
        or not current_user.has_role(Role.REGISTRY_ADMIN)
    ):
        return {"figures_form": None, "figures_window": None}
    today = clock.now().date()
    window = window_for(record.department_id, report_year_on(today))
    return {
        "figures_form": AnnualFiguresForm(obj=record, version=record.version),
        "figures_window": window,
        "figures_window_open": window.is_open(today),
    }


@blueprint.route("/<int:record_id>/figures", methods=["POST"])
@login_required
def figures(record_id):
    form = AnnualFiguresForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("counselors.show", record_id=record_id), code=303)
    try:
        annual_figures.update_served_figures(
            current_user, record_id, form.values(), _version(form)
        )
    except RecordNotFound:
        abort(404)
    except WorkflowError as error:
        flash(str(error.user_message), "danger")
    else:
        flash(_("年度服务数据已保存。"), "success")
    return redirect(url_for("counselors.show", record_id=record_id), code=303)


def _division_names(codes):
    names = dict(
        db.session.execute(
            select(Department.code, Department.division_name).where(
                Department.code.in_(codes)
            )
        ).all()
    )
    return [names.get(code, code) for code in codes]


def _action_labels():
    labels = {
        trigger: step.label for trigger, step in Counselor.__workflow__.steps.items()
    }
    labels.update(nominations.ACTION_LABELS)
    labels.update(annual_figures.ACTION_LABELS)
    return labels


@blueprint.route("/<int:record_id>/review", methods=["POST"])
@login_required
def review(record_id):
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("counselors.show", record_id=record_id), code=303)
    return _take_step(record_id, form.decision.data, form.reason.data, _version(form))


@blueprint.route("/<int:record_id>/step", methods=["POST"])
@login_required
def step(record_id):
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    return _take_step(record_id, form.trigger.data, form.comment.data, _version(form))


def _take_step(record_id, trigger, comment, version):
    try:
        record = engine.fire(
            Counselor,
            record_id,
            trigger,
            current_user,
            expected_version=version,
            comment=comment,
        )
    except WorkflowError as error:
        if isinstance(error, RecordNotFound):
            abort(404)
        flash(str(error.user_message), "danger")
        return redirect(url_for("counselors.show", record_id=record_id), code=303)
    flash(
        _("已完成：%(step)s。", step=record.__workflow__.step(trigger).label), "success"
    )
    if record.state is CounselorState.APPOINTED:
        flash(_("证书编号：%(number)s", number=record.certificate_number), "success")
    return redirect(url_for("counselors.show", record_id=record_id), code=303)


def _version(form):
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        abort(400)
