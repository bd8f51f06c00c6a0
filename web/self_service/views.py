"""A counselor's own page, reached through the self-service account."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from workflow.evaluation_figures import entities_served_by_year
from workflow.evaluation_rounds import entries_of
from workflow.extensions import db
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.service_records import service_records_of
from workflow.states.evaluation import EvaluationRoundState
from workflow.terms import terms_of
from workflow.trainings import training_records_of

blueprint = Blueprint("self_service", __name__, url_prefix="/me")


@blueprint.route("/")
@login_required
def home():
    counselor = current_user.counselor
    if counselor is None:
        abort(404)
    open_entries = db.session.scalars(
        select(EvaluationEntry)
        .join(EvaluationRound, EvaluationEntry.round_id == EvaluationRound.id)
        .where(
            EvaluationEntry.counselor_id == counselor.id,
            EvaluationRound.state == EvaluationRoundState.OPENED,
        )
    ).all()
    return render_template(
        "self_service/home.html",
        counselor=counselor,
        terms=terms_of(counselor.id),
        served_by_year=entities_served_by_year(counselor.id),
        services=service_records_of(counselor.id),
        trainings=training_records_of(counselor.id),
        open_entries=open_entries,
        evaluations=entries_of(counselor.id, published_only=True),
    )
