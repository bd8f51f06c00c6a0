"""Counselor pages: nominate, edit, read with history, and take steps."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from web.auth.access import roles_required, staff_required
from web.csrf import keeps_input_on_csrf_error
from web.diagrams import workflow_diagram
from workflow import (
    annual_figures,
    claims,
    clock,
    engine,
    nominations,
    personal_data,
)
from workflow.certificate_register import status_of
from workflow.conduct import REASON_CODES
from workflow.errors import (
    DomainValidationError,
    RecordNotFound,
    StaleDecision,
    WorkflowError,
)
from workflow.evaluation_figures import entities_served_by_year
from workflow.evaluation_rounds import entries_of
from workflow.extensions import db
from workflow.forms.account import ConfirmForm
from workflow.forms.annual_report import AnnualFiguresForm
from workflow.forms.counselor import NominationForm, ReviewDecisionForm, StepForm
from workflow.forms.lifecycle import AccountForm, StrikeOffForm
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.audit import AuditEvent
from workflow.models.counselor import Counselor
from workflow.models.department import Department
from workflow.models.strike_off import StrikeOff
from workflow.reporting_window import report_year_on, window_for
from workflow.roles import Role
from workflow.service_records import service_records_of
from workflow.states.counselor import SERVING_STATES, CounselorState
from workflow.terms import terms_of
from workflow.trainings import training_records_of

blueprint = Blueprint("counselors", __name__, url_prefix="/counselors")

REVIEW_DECISIONS = ("approve", "return_for_revision", "reject")
# Steps with a form of their own on the record page.
OWN_FORM_STEPS = ("strike_off",)


@blueprint.before_request
def keep_applicants_out():
    """Return 404 to service-center applicant accounts on every counselor page."""
    if current_user.is_authenticated and current_user.is_applicant:
        abort(404)


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
@roles_required(Role.REGISTRY_ADMIN)
@keeps_input_on_csrf_error
def new():
    # Refuse before the form is filled in rather than after.
    nominations.check_may_nominate(current_user)
    form = _nomination_form()
    if form.validate_on_submit():
        submit = bool(form.submit_nomination.data)
        try:
            record = nominations.create_nomination(current_user, form.values(), submit)
        except DomainValidationError as error:
            _show_field_error(form, error)
        except StaleDecision as error:
            # Another user's write came first, so keep what this one typed.
            flash(
                _(
                    "%(message)s 您填写的内容仍保留在下方。",
                    message=error.user_message,
                ),
                "warning",
            )
        else:
            flash(
                _("推荐已提交，等待审核。") if submit else _("草稿已保存。"), "success"
            )
            return redirect(url_for("counselors.show", record_id=record.id), code=303)
    return render_template("counselors/form.html", form=form, record=None)


@blueprint.route("/<int:record_id>/edit", methods=["GET", "POST"])
@roles_required(Role.REGISTRY_ADMIN)
@keeps_input_on_csrf_error
def edit(record_id):
    record = load_visible(current_user, Counselor, record_id)
    nominations.check_may_edit(current_user, record)
    if record.state not in nominations.EDITABLE_STATES:
        flash(_("只有草稿或退回修改的记录可以编辑。"), "warning")
        return redirect(url_for("counselors.show", record_id=record.id))
    form = _nomination_form(obj=record)
    if not form.is_submitted():
        # The edit form shows the full ID number, so opening it is a view.
        personal_data.record_full_view(
            current_user, record, _("编辑推荐"), request.remote_addr
        )
        form.version.data = record.version
    if form.validate_on_submit():
        try:
            nominations.update_nomination(
                current_user, record.id, form.values(), _version(form)
            )
        except DomainValidationError as error:
            _show_field_error(form, error)
        except StaleDecision as error:
            # Keep what the user typed; the next save applies it over the
            # other change, which the message names.
            db.session.expire_all()
            form.version.data = load_visible(current_user, Counselor, record_id).version
            flash(
                _(
                    "%(message)s 您填写的内容仍保留在下方，核对后可再次保存。",
                    message=error.user_message,
                ),
                "warning",
            )
        else:
            flash(_("修改已保存。"), "success")
            return redirect(url_for("counselors.show", record_id=record.id), code=303)
    return render_template("counselors/form.html", form=form, record=record)


@blueprint.route("/<int:record_id>")
@staff_required
def show(record_id):
    record = load_visible(current_user, Counselor, record_id)
    return _render_record(record)


@blueprint.route("/<int:record_id>/personal-data", methods=["POST"])
@staff_required
def reveal(record_id):
    record = load_visible(current_user, Counselor, record_id)
    if not personal_data.can_see_full(current_user) or not ConfirmForm().validate():
        abort(403)
    personal_data.record_full_view(
        current_user, record, _("查看记录详情"), request.remote_addr
    )
    return _render_record(record, revealed=True)


def _render_record(record, *, review_form=None, revealed=False, status=200):
    # The review form comes in filled when a decision failed validation, so
    # its messages show next to its fields and the input is kept.
    history = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == Counselor.__tablename__,
            AuditEvent.record_id == record.id,
        )
        .order_by(AuditEvent.id)
    ).all()
    steps = engine.available_steps(current_user, record)
    if review_form is None and {s.trigger for s in steps} >= set(REVIEW_DECISIONS):
        review_form = ReviewDecisionForm(version=record.version)
    other_steps = [
        s
        for s in steps
        if (review_form is None or s.trigger not in REVIEW_DECISIONS)
        and s.trigger not in OWN_FORM_STEPS
    ]
    step_forms = [
        (step, StepForm(trigger=step.trigger, version=record.version),
         engine.blocking_reason(current_user, record, step))
        for step in other_steps
    ]  # fmt: skip
    strike_off_form = None
    if any(step.trigger == "strike_off" for step in steps):
        strike_off_form = StrikeOffForm(version=record.version)
    page = render_template(
        "counselors/show.html",
        record=record,
        strike_off_form=strike_off_form,
        **_later_life(record),
        service_areas=_division_names(record.service_area_codes),
        action_labels=_action_labels(),
        state_labels={state.value: state.label for state in CounselorState},
        history=history,
        review_form=review_form,
        step_forms=step_forms,
        editable=record.state in nominations.EDITABLE_STATES
        and any(step.trigger == "nominate" for step in steps),
        claim=claims.effective_claim(record),
        revealed=revealed,
        may_reveal=personal_data.can_see_full(current_user),
        reveal_form=ConfirmForm(),
        diagram=workflow_diagram(record.__workflow__, current=record.state),
        certificate_status=status_of(record, clock.now().date()),
        **_figures_form(record),
    )
    return page, status


def _later_life(record):
    # Terms, activity and evaluations, shown once the counselor is appointed.
    can_open_account = (
        is_owner(current_user, record)
        and current_user.has_role(Role.REGISTRY_ADMIN)
        and record.state in SERVING_STATES
        and record.account_user_id is None
    )
    return {
        "terms": terms_of(record.id),
        "served_by_year": entities_served_by_year(record.id),
        "services": service_records_of(record.id)[:50],
        "trainings": training_records_of(record.id),
        "evaluations": entries_of(record.id),
        "strike_offs": db.session.scalars(
            select(StrikeOff).where(StrikeOff.counselor_id == record.id)
        ).all(),
        "reason_labels": REASON_CODES,
        "account_form": AccountForm() if can_open_account else None,
        "may_enter_activity": record.state in SERVING_STATES
        and is_owner(current_user, record)
        and current_user.has_role(Role.REGISTRY_ADMIN),
    }


def _figures_form(record):
    # Only the appointing department's registry administrators enter the
    # yearly figures, and only for serving (appointed or term-ending) ones.
    if (
        record.state not in SERVING_STATES
        or not is_owner(current_user, record)
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
@staff_required
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
@staff_required
@keeps_input_on_csrf_error
def review(record_id):
    form = ReviewDecisionForm()
    if not form.validate_on_submit():
        record = load_visible(current_user, Counselor, record_id)
        return _render_record(record, review_form=form, status=422)
    return _take_step(record_id, form.decision.data, form.reason.data, _version(form))


@blueprint.route("/<int:record_id>/step", methods=["POST"])
@staff_required
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
