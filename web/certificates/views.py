"""Printing certificates: one record's, or all issued in a period."""

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from web.certificates.pdf import CertificateView, certificates_pdf
from workflow.certificate_register import issued_between
from workflow.forms.certificate import IssuePeriodForm
from workflow.jurisdiction import load_visible
from workflow.models.counselor import Counselor
from workflow.roles import Role

blueprint = Blueprint("certificates", __name__)

# Staff who issue certificates; supervisors and counselors only read.
PRINTING_ROLES = (Role.REGISTRY_ADMIN, Role.REVIEWER, Role.LEADER)


def verification_url(number):
    """Return the public address that verifies certificate ``number``.

    Uses the ``PUBLIC_BASE_URL`` setting when set, because the address
    staff use inside a government network may not be reachable by the
    public. Without it, the address of the current request is used.
    """
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for("verification.show", number=number)
    return url_for("verification.show", number=number, _external=True)


def _pdf_response(certificates, filename):
    body = certificates_pdf(
        [
            CertificateView.of(record, verification_url(record.certificate_number))
            for record in certificates
        ]
    )
    return current_app.response_class(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@blueprint.route("/counselors/<int:record_id>/certificate.pdf")
@login_required
def record_certificate(record_id):
    record = load_visible(current_user, Counselor, record_id)
    if record.certificate_number is None:
        abort(404)
    return _pdf_response([record], f"{record.certificate_number}.pdf")


def _may_print():
    return current_user.has_role(*PRINTING_ROLES) and (
        current_user.department.can_appoint
    )


@blueprint.route("/certificates")
@login_required
def batch():
    if not _may_print():
        abort(403)
    form = IssuePeriodForm(formdata=request.args if request.args else None)
    records = None
    if request.args and form.validate():
        records = issued_between(
            current_user.department, form.issued_from.data, form.issued_to.data
        )
    return render_template(
        "certificates/batch.html",
        form=form,
        records=records,
        limit=current_app.config["CERTIFICATE_BATCH_LIMIT"],
    )


@blueprint.route("/certificates/batch.pdf")
@login_required
def batch_pdf():
    if not _may_print():
        abort(403)
    form = IssuePeriodForm(formdata=request.args)
    if not form.validate():
        return redirect(url_for("certificates.batch", **request.args), code=303)
    records = issued_between(
        current_user.department, form.issued_from.data, form.issued_to.data
    )
    limit = current_app.config["CERTIFICATE_BATCH_LIMIT"]
    if not records or len(records) > limit:
        # The list page explains both cases next to the period.
        return redirect(url_for("certificates.batch", **request.args), code=303)
    start, end = form.issued_from.data, form.issued_to.data
    return _pdf_response(records, f"certificates-{start}-{end}.pdf")
