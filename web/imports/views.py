"""Spreadsheet import: template download, upload, preview, commit, batches."""

import io

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
from flask_login import current_user

from web.auth.access import staff_required
from workflow import personal_data
from workflow.errors import NotPermitted, WorkflowError
from workflow.forms.registry_import import CommitForm, UploadForm
from workflow.nominations import check_may_nominate
from workflow.registry_import import batches
from workflow.registry_import.annotating import write_annotated
from workflow.registry_import.files import FileRejected
from workflow.registry_import.validating import plan_import
from workflow.registry_template import write_template

blueprint = Blueprint("imports", __name__, url_prefix="/imports")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {
    "xlsx": XLSX_MIMETYPE,
    "xls": "application/vnd.ms-excel",
    "csv": "text/csv",
}


def _may_import():
    try:
        check_may_nominate(current_user)
    except NotPermitted:
        return False
    return True


@blueprint.route("/", methods=["GET", "POST"])
@staff_required
def index():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.spreadsheet.data
        try:
            batch = batches.upload(current_user, upload.filename, upload.read())
        except FileRejected as error:
            form.spreadsheet.errors = [str(error.user_message)]
        else:
            return redirect(url_for("imports.show", batch_id=batch.id), code=303)
    return render_template(
        "imports/index.html",
        form=form,
        may_import=_may_import(),
        batches=batches.list_batches(current_user),
    )


@blueprint.route("/template.xlsx")
@staff_required
def template():
    stream = io.BytesIO()
    write_template(stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=_("辅导员名录导入模板.xlsx"),
    )


@blueprint.route("/<int:batch_id>")
@staff_required
def show(batch_id):
    batch = batches.load_batch(current_user, batch_id)
    return render_template(
        "imports/show.html",
        batch=batch,
        report=batches.report(batch),
        commit_form=CommitForm(),
        is_owner=batch.department_id == current_user.department_id,
    )


@blueprint.route("/<int:batch_id>/commit", methods=["POST"])
@staff_required
def commit(batch_id):
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        batch = batches.commit_batch(current_user, batch_id)
    except (FileRejected, WorkflowError) as error:
        flash(str(error.user_message), "danger")
    else:
        flash(
            _(
                "导入完成：新推荐 %(nominated)s 人，已聘任 %(appointed)s 人，"
                "更新 %(updated)s 人。",
                nominated=batch.nomination_count,
                appointed=batch.appointed_count,
                updated=batch.update_count,
            ),
            "success",
        )
    return redirect(url_for("imports.show", batch_id=batch_id), code=303)


@blueprint.route("/<int:batch_id>/annotated.xlsx")
@staff_required
def annotated(batch_id):
    batch = batches.load_own_batch(current_user, batch_id)
    plan = plan_import(current_user, batch.content, batch.filename, batches.limits())
    stream = io.BytesIO()
    write_annotated(batch.content, plan, stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype=XLSX_MIMETYPE,
        as_attachment=True,
        download_name=_("问题标注-%(name)s.xlsx", name=_stem(batch.filename)),
    )


@blueprint.route("/<int:batch_id>/original")
@staff_required
def original(batch_id):
    # The file holds full ID numbers and mobiles, which not every role that
    # reads the batch may see.
    if not personal_data.can_see_full(current_user):
        abort(403)
    batch = batches.load_batch(current_user, batch_id)
    return send_file(
        io.BytesIO(batch.content),
        mimetype=MIMETYPES.get(batch.file_format, "application/octet-stream"),
        as_attachment=True,
        download_name=batch.filename,
    )


def _stem(filename):
    return filename.rsplit(".", 1)[0]
