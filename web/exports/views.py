"""Export of the registry list; the user states a purpose first."""

import io

from flask import Blueprint, Response, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user

from web.auth.access import staff_required
from web.csrf import keeps_input_on_csrf_error
from web.queue.views import filter_form
from workflow import clock, exports, personal_data, registry_export
from workflow.forms.export import ExportForm
from workflow.states.counselor import CounselorState

blueprint = Blueprint("exports", __name__)


@blueprint.route("/registry/export", methods=["GET", "POST"])
@staff_required
@keeps_input_on_csrf_error
def registry():
    filters = filter_form(list(CounselorState))
    form = ExportForm()
    if form.validate_on_submit():
        if form.workbook.data:
            return _workbook(filters, form.purpose.data)
        text = exports.export_registry(
            current_user,
            filters.filters(),
            form.purpose.data,
            address=request.remote_addr,
        )
        name = f"registry-{clock.wall_now():%Y%m%d-%H%M}.csv"
        return Response(
            text,
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )
    return render_template(
        "exports/registry.html",
        form=form,
        filters=filters,
        full=personal_data.can_see_full(current_user),
    )


def _workbook(filters, purpose):
    stream = io.BytesIO()
    registry_export.export_workbook(
        current_user,
        filters.filters(),
        purpose,
        stream,
        address=request.remote_addr,
    )
    stream.seek(0)
    return send_file(
        stream,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_(
            "辅导员名录-%(date)s.xlsx", date=clock.wall_now().strftime("%Y%m%d")
        ),
    )
