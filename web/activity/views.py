"""Service records and training records: new and edit forms."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workflow.activity_rules import check_may_edit, check_may_enter
from workflow.entities import find_entity
from workflow.errors import DomainValidationError, NotPermitted
from workflow.forms.activity import ServiceRecordForm, TrainingRecordForm
from workflow.jurisdiction import load_visible
from workflow.models.activity import ServiceRecord, TrainingRecord
from workflow.models.counselor import Counselor
from workflow.service_records import (
    ServiceValues,
    create_service_record,
    update_service_record,
)
from workflow.trainings import (
    TrainingValues,
    create_training_record,
    update_training_record,
)

blueprint = Blueprint("activity", __name__)


def _show_error(form, error):
    field = form[error.field] if error.field in form else None
    if field is not None:
        field.errors = list(field.errors) + [str(error.user_message)]
    else:
        flash(str(error.user_message), "danger")


def _refuse_unless(check, *args):
    # Refuse before the form shows the counselor to someone who may not
    # enter records for them; 403 rather than a redirect, as for every page
    # a role may not open.
    try:
        check(current_user, *args)
    except NotPermitted:
        abort(403)


def _counselor_page(counselor_id):
    if current_user.is_self_service:
        return redirect(url_for("self_service.home"), code=303)
    return redirect(url_for("counselors.show", record_id=counselor_id), code=303)


def _service_values(form):
    entity = find_entity(form.entity.data)
    if entity is None:
        raise DomainValidationError(
            "entity",
            f"no entity for reference {form.entity.data!r}",
            _("未找到该服务主体，请先查找或新增主体。"),
        )
    return ServiceValues(
        entity_id=entity.id,
        served_on=form.served_on.data,
        work_area=form.work_area.data,
        content=form.content.data,
        result=form.result.data,
        satisfaction=int(form.satisfaction.data),
    )


@blueprint.route("/counselors/<int:counselor_id>/services/new", methods=["GET", "POST"])
@login_required
def new_service(counselor_id):
    counselor = load_visible(current_user, Counselor, counselor_id)
    _refuse_unless(check_may_enter, counselor)
    form = ServiceRecordForm(entity=request.args.get("entity", ""))
    if form.validate_on_submit():
        try:
            create_service_record(current_user, counselor.id, _service_values(form))
        except DomainValidationError as error:
            _show_error(form, error)
        else:
            flash(_("服务记录已保存。"), "success")
            return _counselor_page(counselor.id)
    return render_template(
        "activity/service_form.html", form=form, counselor=counselor, record=None
    )


@blueprint.route("/services/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_service(record_id):
    record = load_visible(current_user, ServiceRecord, record_id)
    _refuse_unless(check_may_edit, record)
    form = ServiceRecordForm(obj=record)
    if not form.is_submitted():
        form.entity.data = str(record.entity_id)
        form.satisfaction.data = str(record.satisfaction)
    if form.validate_on_submit():
        try:
            update_service_record(current_user, record.id, _service_values(form))
        except DomainValidationError as error:
            _show_error(form, error)
        else:
            flash(_("服务记录已修改。"), "success")
            return _counselor_page(record.counselor_id)
    return render_template(
        "activity/service_form.html",
        form=form,
        counselor=record.counselor,
        record=record,
    )


def _training_values(form):
    return TrainingValues(
        course=form.course.data,
        level=form.level.data,
        category=form.category.data,
        hours=form.hours.data,
        trained_on=form.trained_on.data,
    )


@blueprint.route(
    "/counselors/<int:counselor_id>/trainings/new", methods=["GET", "POST"]
)
@login_required
def new_training(counselor_id):
    counselor = load_visible(current_user, Counselor, counselor_id)
    _refuse_unless(check_may_enter, counselor)
    form = TrainingRecordForm()
    if form.validate_on_submit():
        try:
            create_training_record(current_user, counselor.id, _training_values(form))
        except DomainValidationError as error:
            _show_error(form, error)
        else:
            flash(_("培训记录已保存。"), "success")
            return _counselor_page(counselor.id)
    return render_template(
        "activity/training_form.html", form=form, counselor=counselor, record=None
    )


@blueprint.route("/trainings/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_training(record_id):
    record = load_visible(current_user, TrainingRecord, record_id)
    _refuse_unless(check_may_edit, record)
    form = TrainingRecordForm(obj=record)
    if form.validate_on_submit():
        try:
            update_training_record(current_user, record.id, _training_values(form))
        except DomainValidationError as error:
            _show_error(form, error)
        else:
            flash(_("培训记录已修改。"), "success")
            return _counselor_page(record.counselor_id)
    return render_template(
        "activity/training_form.html",
        form=form,
        counselor=record.counselor,
        record=record,
    )
