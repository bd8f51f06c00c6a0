"""The reviewer queue and the registry list."""

from dataclasses import replace

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

from web.auth.access import staff_required
from web.record_urls import id_url_prefix
from workflow import claims, clock
from workflow.evaluation_figures import entities_served
from workflow.extensions import db
from workflow.forms.filters import CounselorFilterForm, QueueFilterForm
from workflow.models.counselor import Counselor
from workflow.models.department import Department, DepartmentLevel
from workflow.models.service_center import ServiceCenter
from workflow.queue import awaiting_states, paginate, queue_page, registry_query
from workflow.states.counselor import CounselorState

blueprint = Blueprint("queue", __name__)


def counties_below(department):
    """Return (code, name) of the counties at or below ``department``."""
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


def filter_form(states, form_class=CounselorFilterForm):
    """Return the filter form bound to the query string, offering ``states``."""
    form = form_class(formdata=request.args)
    form.set_choices(states, counties_below(current_user.department))
    form.validate()
    return form


def _page_number():
    return request.args.get("page", 1, type=int)


# Claim tabs of the queue: everything, claimed by me, unclaimed, by others.
CLAIM_FILTERS = ("", "mine", "unclaimed", "others")


@blueprint.route("/")
@login_required
def index():
    # Applicant accounts have no department work; their home is their
    # own application.
    if current_user.is_applicant:
        return redirect(url_for("centers.mine"))
    if current_user.is_self_service:
        return redirect(url_for("self_service.home"))
    states = [
        state
        for model in (Counselor, ServiceCenter)
        for state in _in_declared_order(
            awaiting_states(current_user, model.__workflow__)
        )
    ]
    form = filter_form(states, QueueFilterForm)
    claim_filter = request.args.get("claimed", "")
    if claim_filter not in CLAIM_FILTERS:
        claim_filter = ""
    page = queue_page(
        current_user,
        replace(form.filters(), claimed=claim_filter or None),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    counselor_ids = [i.record.id for i in page.items if i.kind == "counselor"]
    return render_template(
        "queue/index.html",
        form=form,
        page=page,
        today=clock.now().date(),
        claim_filter=claim_filter,
        claims=claims.claims_for(Counselor, counselor_ids),
        # Translated once here rather than once per row.
        state_labels={state: str(state.label) for state in states},
        bulk_steps=_bulk_steps(),
        # One url_for per kind rather than one per row.
        counselor_url=id_url_prefix("counselors.show", "record_id"),
        center_url=id_url_prefix("centers.show", "center_id"),
    )


def _in_declared_order(states):
    return sorted(states, key=lambda state: list(type(state)).index(state))


def _bulk_steps():
    # Steps that need a written reason are left to the record page.
    return [
        step
        for step in Counselor.__workflow__.steps.values()
        if step.interactive
        and current_user.has_role(*step.roles)
        and not step.needs_reason
    ]


@blueprint.route("/registry")
@staff_required
def registry():
    if current_user.is_applicant:
        abort(404)
    form = filter_form(list(CounselorState))
    page = paginate(
        registry_query(current_user, form.filters()),
        _page_number(),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    year = clock.now().year
    return render_template(
        "queue/registry.html",
        form=form,
        page=page,
        year=year,
        served=entities_served([record.id for record in page.items], year),
    )
