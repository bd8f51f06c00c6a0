"""Annual report pages: this year's report, the children's, and decisions."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from web.auth.access import staff_required
from workflow import annual_reports, clock, engine
from workflow.errors import RecordNotFound, WorkflowError
from workflow.extensions import db
from workflow.forms.annual_report import ReturnReportForm, WindowExtensionForm
from workflow.forms.counselor import StepForm
from workflow.jurisdiction import load_visible
from workflow.models.annual_report import AnnualReport
from workflow.models.audit import AuditEvent
from workflow.models.department import Department, DepartmentLevel
from workflow.reporting_window import report_year_on, window_for
from workflow.roles import Role
from workflow.states.annual_report import AnnualReportState

blueprint = Blueprint("reports", __name__, url_prefix="/reports")


@blueprint.route("")
@staff_required
def index():
    year = report_year_on(clock.now().date())
    own = annual_reports.report_for(current_user.department, year)
    annual_reports.ensure_reports(
        year, [child.id for child in current_user.department.children]
    )
    db.session.commit()
    children = db.session.scalars(
        select(AnnualReport)
        .join(Department, Department.id == AnnualReport.department_id)
        .options(joinedload(AnnualReport.department))
        .where(
            Department.parent_id == current_user.department_id,
            AnnualReport.year == year,
        )
        .order_by(Department.code)
    ).all()
    return render_template(
        "reports/index.html",
        year=year,
        own=own,
        own_window=window_for(own.department_id, year) if own else None,
        children=children,
        counts=_count_by_state(children),
        today=clock.now().date(),
    )


def _count_by_state(reports):
    counts = {state: 0 for state in AnnualReportState}
    for report in reports:
        counts[report.state] += 1
    return counts


@blueprint.route("/<int:report_id>")
@staff_required
def show(report_id):
    report = load_visible(current_user, AnnualReport, report_id)
    steps = engine.available_steps(current_user, report)
    return render_template(
        "reports/show.html",
        report=report,
        window=window_for(report.department_id, report.year),
        today=clock.now().date(),
        step_forms=[
            (step, StepForm(trigger=step.trigger, version=report.version))
            for step in steps
            if step.trigger != "return_report"
        ],
        return_form=(
            ReturnReportForm(version=report.version)
            if any(step.trigger == "return_report" for step in steps)
            else None
        ),
        extension_form=WindowExtensionForm() if _is_national_admin() else None,
        history=_history(report),
        state_labels={state.value: state.label for state in AnnualReportState},
        action_labels=_action_labels(),
    )


def _is_national_admin():
    return current_user.department.level is DepartmentLevel.MINISTRY and (
        current_user.has_role(Role.REGISTRY_ADMIN)
    )


def _history(report):
    return db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == AnnualReport.__tablename__,
            AuditEvent.record_id == report.id,
        )
        .order_by(AuditEvent.id)
    ).all()


def _action_labels():
    labels = {
        trigger: step.label for trigger, step in AnnualReport.__workflow__.steps.items()
    }
    labels["extend_window"] = _("延长报送期")
    return labels


@blueprint.route("/<int:report_id>/step", methods=["POST"])
@staff_required
def step(report_id):
    form = StepForm()
    if not form.validate_on_submit() or form.trigger.data == "return_report":
        abort(400)
    return _take_step(report_id, form.trigger.data, None, _version(form))


@blueprint.route("/<int:report_id>/return", methods=["POST"])
@staff_required
def return_report(report_id):
    form = ReturnReportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("reports.show", report_id=report_id), code=303)
    return _take_step(report_id, "return_report", form.reason.data, _version(form))


def _take_step(report_id, trigger, comment, version):
    try:
        engine.fire(
            AnnualReport,
            report_id,
            trigger,
            current_user,
            expected_version=version,
            comment=comment,
        )
    except RecordNotFound:
        abort(404)
    except WorkflowError as error:
        flash(str(error.user_message), "danger")
    else:
        label = AnnualReport.__workflow__.step(trigger).label
        flash(_("已完成：%(step)s。", step=label), "success")
    return redirect(url_for("reports.show", report_id=report_id), code=303)


@blueprint.route("/<int:report_id>/extension", methods=["POST"])
@staff_required
def extend(report_id):
    load_visible(current_user, AnnualReport, report_id)
    form = WindowExtensionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
        return redirect(url_for("reports.show", report_id=report_id), code=303)
    try:
        extension = annual_reports.grant_extension(
            current_user, report_id, form.closes_on.data, form.reason.data
        )
    except WorkflowError as error:
        flash(str(error.user_message), "danger")
    else:
        flash(
            _("报送期已延长至 %(date)s。", date=extension.closes_on.isoformat()),
            "success",
        )
    return redirect(url_for("reports.show", report_id=report_id), code=303)


def _version(form):
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        abort(400)
