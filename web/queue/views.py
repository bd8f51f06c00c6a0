"""The reviewer queue and the registry list."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from web.auth.access import staff_required
from workflow import claims, clock
from workflow.extensions import db
from workflow.forms.filters import CounselorFilterForm
from workflow.forms.queue_actions import BulkActionForm
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.queue import awaiting_states, paginate, queue_query, registry_query
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


def filter_form(states):
    """Return the filter form bound to the query string, offering ``states``."""
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
    form = filter_form(states)
    claim_filter = request.args.get("claimed", "")
    query = claims.filter_by_claim(
        queue_query(current_user, form.filters()), Counselor, current_user, claim_filter
    )
    page = paginate(query, _page_number(), current_app.config["QUEUE_PAGE_SIZE"])
    return render_template(
        "queue/index.html",
        form=form,
        page=page,
        today=clock.now().date(),
        claim_filter=claim_filter,
        claims=claims.claims_for(Counselor, [record.id for record in page.items]),
        bulk_steps=_bulk_steps(),
        bulk_form=BulkActionForm(),
    )


def _bulk_steps():
    # Steps that need a written reason are left to the record page.
    return [
        step
        for step in Counselor.__workflow__.steps.values()
        if current_user.has_role(*step.roles) and not step.needs_reason
    ]


@blueprint.route("/registry")
@staff_required
def registry():
    form = filter_form(list(CounselorState))
    page = paginate(
        registry_query(current_user, form.filters()),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    return render_template("queue/registry.html", form=form, page=page)
