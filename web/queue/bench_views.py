"""The queue page's SQL without its HTML, for the load benchmark.

Registered only when the ``BENCH_ROUTES`` setting is on (never in
production). ``bench/queue_load.py`` compares the queue page against this
route: both run the session check and the same queries, so the difference
between them is the cost of forms and templates.
"""

from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from web.queue.views import counties_below
from workflow import claims
from workflow.models.counselor import Counselor
from workflow.queue import Filters, queue_page

blueprint = Blueprint("bench", __name__, url_prefix="/bench")


@blueprint.route("/queue.json")
@login_required
def queue_json():
    """Return the first page of the user's queue as JSON."""
    counties = counties_below(current_user.department)
    page = queue_page(
        current_user,
        Filters(),
        request.args.get("page", 1, type=int),
        current_app.config["QUEUE_PAGE_SIZE"],
    )
    counselor_ids = [i.record.id for i in page.items if i.kind == "counselor"]
    held = claims.claims_for(Counselor, counselor_ids)
    return jsonify(
        total=page.total,
        counties=len(counties),
        items=[
            {
                "kind": item.kind,
                "id": item.record.id,
                "name": item.record.name,
                "state": item.record.state.value,
                "work_areas": item.record.work_areas,
                "waiting_since": item.record.state_changed_at.isoformat(),
                "claimed_by": getattr(held.get(item.record.id), "assignee_id", None),
            }
            for item in page.items
        ],
    )
