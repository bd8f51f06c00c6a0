"""The reviewer queue and the registry list."""

import io

from flask import Blueprint, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from workflow import clock
from workflow.extensions import db
from workflow.forms.filters import CounselorFilterForm
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.queue import awaiting_states, paginate, queue_query, registry_query
from workflow.registry_export import export_registry
from workflow.states.counselor import CounselorState

blueprint = Blueprint("queue", __name__)


def _counties_below(department):
    if department.level is DepartmentLevel.COUNTY:
        return [(department.code, department.division_name)]
    rows = db.session.execute(
        select(Department.code, Department.division_name)
        .where(
            Department.path.startswith(department.path, autoescape=True),
            Department.level == DepartmentLevel.COUNTY,
        )
        .order_by(Department.code)
    )
    return [tuple(row) for row in rows]


def _filter_form(states):
    form = CounselorFilterForm(formdata=request.args)
    form.set_choices(states, _counties_below(current_user.department))
    form.validate()
    return form


def _page_number():
    return request.args.get("page", 1, type=int)


@blueprint.route("/")
@login_required
def index():
    states = sorted(
        awaiting_states(current_user, Counselor.__workflow__),
        key=lambda state: list(CounselorState).index(state),
    )
    form = _filter_form(states)
    page = paginate(
        queue_query(current_user, form.filters()),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template(
        "queue/index.html", form=form, page=page, today=clock.now().date()
    )


@blueprint.route("/registry")
@login_required
def registry():
    form = _filter_form(list(CounselorState))
    page = paginate(
        registry_query(current_user, form.filters()),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template("queue/registry.html", form=form, page=page)


@blueprint.route("/registry/export.xlsx")
@login_required
def export():
    form = _filter_form(list(CounselorState))
    stream = io.BytesIO()
    export_registry(current_user, form.filters(), stream)
    stream.seek(0)
    return send_file(
        stream,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=_(
            "辅导员名录-%(date)s.xlsx", date=clock.now().strftime("%Y%m%d")
        ),
    )
