"""The public list of filed service centers, their services and prices."""

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from workflow.extensions import db
from workflow.models.center_price import CenterPriceChange
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.states.service_center import FILED_STATES, CenterState

blueprint = Blueprint("public", __name__, url_prefix="/public")

# Revoked and withdrawn centers stay listed, without prices, so entities can
# see that a center they know is no longer filed.
REMOVED_STATES = (CenterState.REVOKED, CenterState.WITHDRAWN)


def _county_names(centers):
    codes = {center.county_code for center in centers}
    return dict(
        db.session.execute(
            select(Department.code, Department.division_name).where(
                Department.code.in_(codes)
            )
        ).all()
    )


@blueprint.route("/centers")
def centers():
    filed = db.session.scalars(
        select(ServiceCenter)
        .where(ServiceCenter.state.in_(FILED_STATES))
        .order_by(ServiceCenter.county_code, ServiceCenter.filing_number)
    ).all()
    removed = db.session.scalars(
        select(ServiceCenter)
        .where(
            ServiceCenter.state.in_(REMOVED_STATES),
            ServiceCenter.filing_number.is_not(None),
        )
        .order_by(ServiceCenter.closed_on.desc(), ServiceCenter.id.desc())
    ).all()
    return render_template(
        "public/centers.html",
        filed=filed,
        removed=removed,
        counties=_county_names(filed + removed),
    )


@blueprint.route("/centers/<int:center_id>")
def center(center_id):
    found = db.session.get(ServiceCenter, center_id)
    if found is None or found.state not in FILED_STATES:
        abort(404)
    history = db.session.scalars(
        select(CenterPriceChange)
        .where(CenterPriceChange.center_id == found.id)
        .order_by(CenterPriceChange.changed_at.desc(), CenterPriceChange.id.desc())
    ).all()
    return render_template(
        "public/center.html",
        center=found,
        county=_county_names([found]).get(found.county_code, found.county_code),
        history=history,
    )
