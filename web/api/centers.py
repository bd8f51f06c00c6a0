"""API endpoints of service centers: list and read."""

from web.api.blueprint import blueprint, current_actor, spec
from web.api.listing import page_of, within_department, workflow_fields
from web.api.responses import responses
from web.api.schemas import CenterDetail, CenterListQuery, CenterPage, CenterSummary
from workflow.jurisdiction import load_visible, visible_records
from workflow.models.service_center import ServiceCenter
from workflow.queue import Filters, apply_center_filters

TAGS = ("service-centers",)


@blueprint.get("/service-centers")
@spec.validate(resp=responses("HTTP_404", HTTP_200=CenterPage), tags=TAGS)
def list_centers(query: CenterListQuery):
    """List service centers in the token's jurisdiction, newest change first.

    ``search`` matches the center's name or the start of its organisation's
    unified social credit code.
    """
    actor = current_actor()
    selection = apply_center_filters(
        visible_records(actor, ServiceCenter),
        Filters(state=query.state, search=query.search),
    )
    selection = within_department(selection, actor, query.department).order_by(
        ServiceCenter.state_changed_at.desc(), ServiceCenter.id.desc()
    )
    items, paging = page_of(selection, query, _summary)
    return CenterPage(items=items, paging=paging)


@blueprint.get("/service-centers/<int:record_id>")
@spec.validate(resp=responses("HTTP_404", HTTP_200=CenterDetail), tags=TAGS)
def get_center(record_id):
    """Read one service center; centers outside the jurisdiction are 404."""
    record = load_visible(current_actor(), ServiceCenter, record_id)
    fields = _summary_fields(record)
    fields.update(
        {
            name: getattr(record, name)
            for name in (
                "organisation_type",
                "establishment",
                "co_building_mode",
                "address",
                "service_phone",
                "registered_on",
                "rectification_deadline",
                "closed_on",
            )
        }
    )
    return CenterDetail(**fields)


def _summary(record):
    return CenterSummary(**_summary_fields(record))


def _summary_fields(record):
    return {
        **workflow_fields(record),
        "name": record.name,
        "organisation": {
            "name": record.organisation.name,
            "credit_code": record.organisation.credit_code,
        },
        "county_code": record.county_code,
        "filing_number": record.filing_number,
        "filed_on": record.filed_on,
    }
