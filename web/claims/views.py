"""Bulk actions from the queue, and the administrator's reassignment page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from web.auth.access import roles_required, staff_required
from workflow import bulk_actions, claims
from workflow.extensions import db
from workflow.forms.queue_actions import BulkActionForm, ReassignForm
from workflow.models.claim import QueueClaim
from workflow.models.counselor import Counselor
from workflow.models.user import User
from workflow.roles import Role

blueprint = Blueprint("claims", __name__, url_prefix="/queue")


def _items(form):
    try:
        return bulk_actions.parse_items(form.items.data)
    except ValueError:
        abort(400)


def _invalid(form, endpoint):
    for errors in form.errors.values():
        for message in errors:
            flash(message, "danger")
    return redirect(url_for(endpoint), code=303)


@blueprint.route("/bulk", methods=["POST"])
@staff_required
def bulk():
    form = BulkActionForm()
    if not form.validate_on_submit():
        return _invalid(form, "queue.index")
    items = _items(form)
    action = form.action.data
    if action == "claim":
        results = bulk_actions.claim_each(Counselor, items, current_user)
    elif action == "release":
        results = bulk_actions.release_each(Counselor, items, current_user)
    elif action.startswith("step:"):
        step = Counselor.__workflow__.step(action[5:])
        # Steps that need a written reason are taken one record at a time.
        if step is None or step.needs_reason:
            abort(400)
        results = bulk_actions.take_step_on_each(
            Counselor, items, step.trigger, current_user
        )
    else:
        abort(400)
    return render_template("claims/results.html", results=results, back="queue.index")


def _department_claims(admin, assignee_id):
    query = (
        select(QueueClaim, Counselor)
        .join(
            Counselor,
            (QueueClaim.record_type == Counselor.__tablename__)
            & (QueueClaim.record_id == Counselor.id)
            & (QueueClaim.state == Counselor.state),
        )
        .where(Counselor.department_id == admin.department_id)
        .order_by(QueueClaim.claimed_at)
    )
    if assignee_id:
        query = query.where(QueueClaim.assignee_id == assignee_id)
    return db.session.execute(query.limit(500)).all()


@blueprint.route("/claims")
@roles_required(Role.REGISTRY_ADMIN)
def index():
    assignee_id = request.args.get("assignee", type=int)
    form = ReassignForm()
    form.assignee_id.choices = _colleague_choices()
    return render_template(
        "claims/index.html",
        rows=_department_claims(current_user, assignee_id),
        colleagues=claims.colleagues(current_user),
        assignee_id=assignee_id,
        form=form,
    )


def _colleague_choices():
    return [(user.id, user.display_name) for user in claims.colleagues(current_user)]


@blueprint.route("/reassign", methods=["POST"])
@roles_required(Role.REGISTRY_ADMIN)
def reassign():
    form = ReassignForm()
    form.assignee_id.choices = _colleague_choices()
    if not form.validate_on_submit():
        return _invalid(form, "claims.index")
    assignee = db.session.get(User, form.assignee_id.data)
    results = bulk_actions.reassign_each(
        Counselor, _items(form), current_user, assignee
    )
    flash(_("改派已处理，结果见下表。"), "info")
    return render_template("claims/results.html", results=results, back="claims.index")
