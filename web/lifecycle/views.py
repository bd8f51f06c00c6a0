"""Strike-off with evidence, evidence download, self-service accounts."""

from io import BytesIO

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workflow import self_service
from workflow.conduct import Evidence, strike_off_counselor
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.forms.lifecycle import AccountForm, StrikeOffForm
from workflow.jurisdiction import load_visible
from workflow.models.counselor import Counselor
from workflow.models.strike_off import StrikeOff

blueprint = Blueprint("lifecycle", __name__, url_prefix="/counselors")


def _back(record_id):
    return redirect(url_for("counselors.show", record_id=record_id), code=303)


def _flash_form_errors(form):
    for field_errors in form.errors.values():
        for message in field_errors:
            flash(message, "danger")


@blueprint.route("/<int:record_id>/strike-off", methods=["POST"])
@login_required
def strike_off(record_id):
    form = StrikeOffForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(record_id)
    upload = form.evidence.data
    evidence = Evidence(upload.filename or "evidence", upload.read())
    try:
        version = int(form.version.data)
    except ValueError:
        abort(400)
    try:
        strike_off_counselor(
            current_user,
            record_id,
            form.reason_code.data,
            form.comment.data,
            evidence,
            version,
        )
    except DomainValidationError as error:
        flash(str(error.user_message), "danger")
        return _back(record_id)
    flash(_("已除名，聘任证书已撤销。"), "success")
    return _back(record_id)


@blueprint.route("/<int:record_id>/strike-offs/<int:strike_off_id>/evidence")
@login_required
def evidence(record_id, strike_off_id):
    record = load_visible(current_user, Counselor, record_id)
    if current_user.is_self_service:
        abort(404)
    strike_off = db.session.get(StrikeOff, strike_off_id)
    if strike_off is None or strike_off.counselor_id != record.id:
        abort(404)
    return send_file(
        BytesIO(strike_off.evidence),
        mimetype=strike_off.evidence_content_type,
        as_attachment=True,
        download_name=strike_off.evidence_filename,
    )


@blueprint.route("/<int:record_id>/account", methods=["POST"])
@login_required
def open_account(record_id):
    form = AccountForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return _back(record_id)
    try:
        user, password = self_service.open_account(
            current_user, record_id, form.username.data
        )
    except DomainValidationError as error:
        flash(str(error.user_message), "danger")
        return _back(record_id)
    response = make_response(
        render_template(
            "lifecycle/account_opened.html",
            record=db.session.get(Counselor, record_id),
            user=user,
            password=password,
        )
    )
    # The initial password is shown once; keep it out of browser caches.
    response.headers["Cache-Control"] = "no-store"
    return response
