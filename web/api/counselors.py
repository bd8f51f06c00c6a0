"""API endpoints of counselor records: list, read, nominate."""

from flask import request
from flask_babel import gettext as _

from web.api.blueprint import blueprint, current_actor, spec
from web.api.errors import invalid_request
from web.api.listing import page_of, within_department, workflow_fields
from web.api.responses import BODY_ERRORS, responses
from web.api.schemas import (
    CounselorDetail,
    CounselorListQuery,
    CounselorPage,
    CounselorSummary,
    DetailQuery,
    NominationBody,
)
from workflow import clock, nominations, personal_data
from workflow.counselor_rules import normalize_id_number, record_errors
from workflow.divisions import division_codes_within
from workflow.errors import NotPermitted
from workflow.jurisdiction import load_visible
from workflow.models.counselor import Counselor
from workflow.queue import Filters, registry_query

TAGS = ("counselors",)


@blueprint.get("/counselors")
@spec.validate(resp=responses("HTTP_404", HTTP_200=CounselorPage), tags=TAGS)
def list_counselors(query: CounselorListQuery):
    """List counselor records in the token's jurisdiction, newest change first.

    ID numbers and mobiles are masked. ``department`` narrows the list to a
    department and those below it; one outside the jurisdiction is 404.
    """
    actor = current_actor()
    filters = Filters(state=query.state, search=query.search)
    selection = within_department(
        registry_query(actor, filters), actor, query.department
    )
    items, paging = page_of(selection, query, _summary)
    return CounselorPage(items=items, paging=paging)


@blueprint.get("/counselors/<int:record_id>")
@spec.validate(
    resp=responses("HTTP_403", "HTTP_404", HTTP_200=CounselorDetail), tags=TAGS
)
def get_counselor(record_id, query: DetailQuery):
    """Read one counselor record; records outside the jurisdiction are 404."""
    actor = current_actor()
    record = load_visible(actor, Counselor, record_id)
    if query.full_personal_data:
        if not personal_data.can_see_full(actor):
            raise NotPermitted(f"user {actor.id} may not see full personal data")
        personal_data.record_full_view(
            actor, record, _("通过 API 查看记录详情"), request.remote_addr
        )
    return _detail(record, masked=not query.full_personal_data)


@blueprint.post("/counselors")
@spec.validate(
    resp=responses("HTTP_403", "HTTP_409", *BODY_ERRORS, HTTP_201=CounselorDetail),
    tags=TAGS,
)
def create_counselor(json: NominationBody):
    """Create a nomination as the form does; it is submitted unless ``submit`` is false.

    Needs the registry administrator role in a county-level or higher
    department. Every field rule the form applies is checked, and all the
    problems are returned at once.
    """
    actor = current_actor()
    nominations.check_may_nominate(actor)
    values = _nomination_values(json)
    _facts, problems = record_errors(
        values, clock.now().date(), division_codes_within(actor.department)
    )
    if problems:
        raise invalid_request(
            [
                {
                    "field": f"body.{problem.field}",
                    "code": "invalid_value",
                    "message": str(problem.user_message),
                }
                for problem in problems
            ]
        )
    record = nominations.create_nomination(actor, values, json.submit)
    return _detail(record, masked=True), 201


def _nomination_values(body):
    values = body.model_dump(exclude={"submit"})
    for field, value in values.items():
        if isinstance(value, str):
            values[field] = value.strip() or None
    values["id_number"] = normalize_id_number(body.id_number)
    return values


def _summary(record, masked=True):
    return CounselorSummary(**_summary_fields(record, masked))


def _summary_fields(record, masked):
    return {
        **workflow_fields(record),
        "name": record.name,
        "gender": record.gender,
        "id_number": personal_data.mask_id_number(record.id_number)
        if masked
        else record.id_number,
        "mobile": personal_data.mask_mobile(record.mobile) if masked else record.mobile,
        "employer": record.employer,
        "work_areas": record.work_areas,
        "certificate_number": record.certificate_number,
    }


DETAIL_FIELDS = (
    "birth_date", "ethnicity", "political_status", "education",
    "professional_title", "position", "email", "source", "industries",
    "working_mode", "entry_mode", "service_area_codes", "served_cooperatives",
    "served_family_farms", "served_others", "notice_starts_on",
    "notice_ends_on", "appointed_on", "term_starts_on", "term_ends_on",
)  # fmt: skip


def _detail(record, masked):
    fields = _summary_fields(record, masked)
    fields.update({name: getattr(record, name) for name in DETAIL_FIELDS})
    return CounselorDetail(**fields, personal_data_masked=masked)
