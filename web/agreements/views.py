"""Service agreements of a filed center and the service records under them."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from web.form_errors import show_domain_error
from workflow import attachments, service_agreements
from workflow.errors import DomainValidationError, NotPermitted
from workflow.forms.service_agreement import AgreementForm, ServiceRecordForm
from workflow.jurisdiction import load_visible
from workflow.models.service_center import ServiceCenter
from workflow.states.service_center import FILED_STATES

blueprint = Blueprint("agreements", __name__, url_prefix="/centers")


def _center(center_id):
    return load_visible(current_user, ServiceCenter, center_id)


def _agreement(center, agreement_id):
    try:
        return service_agreements.find_agreement(center, agreement_id)
    except LookupError:
        abort(404)


def _may_enter(center):
    return (
        current_user.organisation_id == center.organisation_id
        and center.state in FILED_STATES
    )


@blueprint.route("/<int:center_id>/agreements")
@login_required
def index(center_id):
    center = _center(center_id)
    return render_template(
        "agreements/index.html",
        center=center,
        agreements=service_agreements.agreements_of(center.id),
        may_enter=_may_enter(center),
    )


@blueprint.route("/<int:center_id>/agreements/new", methods=["GET", "POST"])
@login_required
def new(center_id):
    center = _center(center_id)
    if not _may_enter(center):
        abort(404)
    form = AgreementForm()
    if form.validate_on_submit():
        try:
            agreement = service_agreements.create_agreement(
                current_user, center.id, form.values(), form.scan.data
            )
        except (DomainValidationError, NotPermitted) as error:
            show_domain_error(form, error)
        else:
            flash(_("服务协议已登记。"), "success")
            return redirect(
                url_for(
                    "agreements.show", center_id=center.id, agreement_id=agreement.id
                ),
                code=303,
            )
    return render_template("agreements/form.html", form=form, center=center)


def _record_form(center):
    form = ServiceRecordForm()
    form.offer_staff(center)
    return form


@blueprint.route("/<int:center_id>/agreements/<int:agreement_id>")
@login_required
def show(center_id, agreement_id, record_form=None):
    center = _center(center_id)
    agreement = _agreement(center, agreement_id)
    if record_form is None and _may_enter(center):
        record_form = _record_form(center)
    return render_template(
        "agreements/show.html",
        center=center,
        agreement=agreement,
        records=service_agreements.records_of(agreement.id),
        record_form=record_form,
    )


@blueprint.route(
    "/<int:center_id>/agreements/<int:agreement_id>/records", methods=["POST"]
)
@login_required
def add_record(center_id, agreement_id):
    center = _center(center_id)
    _agreement(center, agreement_id)
    if not _may_enter(center):
        abort(404)
    form = _record_form(center)
    if form.validate_on_submit():
        try:
            service_agreements.add_service_record(
                current_user, center.id, agreement_id, form.values()
            )
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            flash(_("服务记录已登记。"), "success")
            return redirect(
                url_for(
                    "agreements.show", center_id=center.id, agreement_id=agreement_id
                ),
                code=303,
            )
    return show(center_id, agreement_id, record_form=form)


@blueprint.route("/<int:center_id>/agreements/<int:agreement_id>/scan")
@login_required
def scan(center_id, agreement_id):
    agreement = _agreement(_center(center_id), agreement_id)
    return send_file(
        attachments.file_path(agreement.scan),
        mimetype=agreement.scan.content_type,
        as_attachment=True,
        download_name=agreement.scan.original_name,
    )
