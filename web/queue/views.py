"""The reviewer queue and the registry list."""

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
from sqlalchemy import select

from workflow import clock
from workflow.extensions import db
from workflow.forms.filters import CounselorFilterForm, QueueFilterForm
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.service_center import ServiceCenter
from workflow.queue import awaiting_states, paginate, queue_page, registry_query
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


def _filter_form(states, form_class=CounselorFilterForm):
    form = form_class(formdata=request.args)
    form.set_choices(states, _counties_below(current_user.department))
    form.validate()
    return form


def _page_number():
    return request.args.get("page", 1, type=int)


@blueprint.route("/")
@login_required
def index():
    # Applicant accounts have no department work; their home is their
    # own application.
    if current_user.is_applicant:
        return redirect(url_for("centers.mine"))
    states = [
        state
        for model in (Counselor, ServiceCenter)
        for state in _in_declared_order(
            awaiting_states(current_user, model.__workflow__)
        )
    ]
    form = _filter_form(states, QueueFilterForm)
    page = queue_page(
        current_user,
        form.filters(),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template(
        "queue/index.html", form=form, page=page, today=clock.now().date()
    )


def _in_declared_order(states):
    return sorted(states, key=lambda state: list(type(state)).index(state))


@blueprint.route("/registry")
@login_required
def registry():
    if current_user.is_applicant:
        abort(404)
    form = _filter_form(list(CounselorState))
    page = paginate(
        registry_query(current_user, form.filters()),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template("queue/registry.html", form=form, page=page)
