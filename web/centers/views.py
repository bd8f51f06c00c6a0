"""Service-center pages: the application, its files, prices and the record."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from web.counties import county_choices
from web.diagrams import workflow_diagram
from web.form_errors import show_domain_error
from web.supervision.views import decision_forms
from workflow import attachments, center_prices, service_centers
from workflow.center_entry_checks import ATTACHMENT_KINDS
from workflow.errors import DomainValidationError
from workflow.extensions import db
from workflow.forms.service_center import (
    ApplicationForm,
    AttachmentForm,
    PriceListForm,
)
from workflow.jurisdiction import load_visible, visible_records
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.queue import Filters, apply_center_filters, paginate
from workflow.roles import STAFF_ROLES
from workflow.states.service_center import EDITABLE_STATES, FILED_STATES, CenterState

blueprint = Blueprint("centers", __name__, url_prefix="/centers")


@blueprint.before_request
def keep_non_staff_out():
    """Answer 403 to accounts that neither file centers nor supervise them."""
    # A counselor's self-service account belongs to the county, so the
    # jurisdiction rules alone would show it every center the county holds.
    user = current_user
    if user.is_authenticated and not (user.is_applicant or user.has_role(*STAFF_ROLES)):
        abort(403)


def _require_applicant():
    if not current_user.is_applicant:
        abort(404)


def _version(form):
    try:
        return int(form.version.data)
    except (TypeError, ValueError):
        abort(400)


@blueprint.route("/")
@login_required
def index():
    if current_user.is_applicant:
        return redirect(url_for("centers.mine"))
    state = request.args.get("state") or None
    filters = Filters(
        state=CenterState(state) if state in _state_values() else None,
        search=(request.args.get("q") or "").strip()[:30] or None,
    )
    query = apply_center_filters(visible_records(current_user, ServiceCenter), filters)
    page = paginate(
        query.order_by(ServiceCenter.state_changed_at.desc(), ServiceCenter.id.desc()),
        request.args.get("page", 1, type=int),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template(
        "centers/index.html", page=page, states=list(CenterState), state=state
    )


def _state_values():
    return {state.value for state in CenterState}


@blueprint.route("/mine")
@login_required
def mine():
    _require_applicant()
    centers = service_centers.centers_of(current_user.organisation_id)
    return render_template(
        "centers/mine.html",
        centers=centers,
        organisation=current_user.organisation,
        may_apply=not service_centers.has_open_application(
            current_user.organisation_id
        ),
    )


def _application_form(default_county, **kwargs):
    form = ApplicationForm(**kwargs)
    form.county_code.choices = county_choices()
    if not form.is_submitted():
        form.add_blank_rows()
    code = form.county_code.data or default_county
    form.offer_counselors(service_centers.registry_counselors(code))
    years = current_app.config["CENTER_VIOLATION_FREE_YEARS"]
    form.declares_no_violation.label.text = _(
        "本单位承诺近%(years)s年无严重违法违规行为", years=years
    )
    return form


@blueprint.route("/new", methods=["GET", "POST"])
@login_required
def new():
    _require_applicant()
    county = current_user.department.code
    form = _application_form(county, county_code=county)
    if form.validate_on_submit():
        try:
            center = service_centers.create_application(current_user, form.values())
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            flash(_("申请已保存为草稿。上传材料后即可提交。"), "success")
            return redirect(url_for("centers.show", center_id=center.id), code=303)
    return render_template("centers/form.html", form=form, center=None)


@blueprint.route("/<int:center_id>/edit", methods=["GET", "POST"])
@login_required
def edit(center_id):
    _require_applicant()
    center = load_visible(current_user, ServiceCenter, center_id)
    if center.state not in EDITABLE_STATES:
        flash(_("只有草稿或退回修改的申请可以修改。"), "warning")
        return redirect(url_for("centers.show", center_id=center.id))
    form = _application_form(center.county_code, obj=center)
    if not form.is_submitted():
        form.version.data = center.version
    if form.validate_on_submit():
        try:
            service_centers.update_application(
                current_user, center.id, form.values(), _version(form)
            )
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            flash(_("修改已保存。"), "success")
            return redirect(url_for("centers.show", center_id=center.id), code=303)
    return render_template("centers/form.html", form=form, center=center)


@blueprint.route("/<int:center_id>")
@login_required
def show(center_id):
    center = load_visible(current_user, ServiceCenter, center_id)
    return render_template(
        "centers/show.html",
        center=center,
        county_name=_county_name(center.county_code),
        documents=[a for a in center.attachments if a.kind in ATTACHMENT_KINDS],
        attachment_kinds=ATTACHMENT_KINDS,
        attachment_form=AttachmentForm() if _may_edit(center) else None,
        may_edit=_may_edit(center),
        may_change_prices=_is_own(center) and center.state in FILED_STATES,
        diagram=workflow_diagram(center.__workflow__, current=center.state),
        **decision_forms(center),
    )


def _is_own(center):
    return current_user.organisation_id == center.organisation_id


def _may_edit(center):
    return _is_own(center) and center.state in EDITABLE_STATES


def _county_name(code):
    return db.session.scalar(
        select(Department.division_name).where(Department.code == code)
    )


@blueprint.route("/<int:center_id>/attachments", methods=["POST"])
@login_required
def upload(center_id):
    _require_applicant()
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "danger")
    else:
        try:
            service_centers.add_attachment(
                current_user, center_id, form.kind.data, form.file.data
            )
        except DomainValidationError as error:
            flash(str(error.user_message), "danger")
        else:
            flash(_("材料已上传。"), "success")
    return redirect(url_for("centers.show", center_id=center_id), code=303)


@blueprint.route("/<int:center_id>/attachments/<int:attachment_id>/delete",
                 methods=["POST"])  # fmt: skip
@login_required
def delete_attachment(center_id, attachment_id):
    _require_applicant()
    try:
        service_centers.delete_attachment(current_user, center_id, attachment_id)
    except LookupError:
        abort(404)
    flash(_("材料已删除。"), "success")
    return redirect(url_for("centers.show", center_id=center_id), code=303)


@blueprint.route("/<int:center_id>/attachments/<int:attachment_id>")
@login_required
def download(center_id, attachment_id):
    center = load_visible(current_user, ServiceCenter, center_id)
    try:
        attachment = service_centers.find_attachment(center, attachment_id)
    except LookupError:
        abort(404)
    return send_file(
        attachments.file_path(attachment),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
    )


@blueprint.route("/<int:center_id>/prices", methods=["GET", "POST"])
@login_required
def prices(center_id):
    _require_applicant()
    center = load_visible(current_user, ServiceCenter, center_id)
    form = PriceListForm(obj=center)
    if not form.is_submitted():
        form.version.data = center.version
        form.add_blank_rows()
    if form.validate_on_submit():
        try:
            changes = center_prices.update_published_prices(
                current_user, center.id, form.price_rows, _version(form)
            )
        except DomainValidationError as error:
            show_domain_error(form, error)
        else:
            flash(_("价格已更新并公示，共 %(n)s 项变动。", n=changes), "success")
            return redirect(url_for("centers.show", center_id=center.id), code=303)
    return render_template("centers/prices.html", form=form, center=center)
