"""Pydantic models of the API's requests and responses.

The same models validate each request and describe it in the OpenAPI
document (through spectree), so the document cannot drift from what the
views accept. Request models forbid unknown fields and take strict types
for numbers and flags in bodies. A script that sends ``"5"`` for a count
or ``"yes"`` for a flag gets an error rather than a guess. Query
values are text by nature and are parsed.
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
)

from workflow.clock import TIMEZONE
from workflow.states.counselor import CounselorState
from workflow.states.service_center import CenterState

MAX_PER_PAGE = 100
MAX_BULK_ROWS = 1000
MAX_COMMENT = 2000


def _in_beijing_time(moment):
    # The database keeps naive Beijing times; RFC 3339, which OpenAPI's
    # date-time format follows, needs the offset.
    return moment.replace(tzinfo=TIMEZONE) if moment.tzinfo is None else moment


BeijingDatetime = Annotated[datetime, AfterValidator(_in_beijing_time)]
DivisionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$")]
Count = Annotated[StrictInt, Field(ge=0, le=100_000)]
Text = Annotated[str, Field(max_length=100)]
Terms = Annotated[list[Annotated[str, Field(max_length=30)]], Field(max_length=30)]


class RequestModel(BaseModel):
    """Base of request models: unknown fields are errors."""

    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    """One field of a request that failed, with its code and message."""

    field: str | None = None
    code: str
    message: str
    row: int | None = Field(None, description="0-based index in ``rows``")
    value: str | None = None


class ErrorInfo(BaseModel):
    code: str = Field(description="Machine-readable reason, e.g. ``not_found``")
    message: str = Field(description="Chinese message for people")
    details: list[ErrorDetail]


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorInfo


# Listing queries.


class ListQuery(RequestModel):
    # Query values arrive as text, so numbers and flags here are parsed.
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=MAX_PER_PAGE)
    department: DivisionCode | None = Field(
        None, description="Division code of a department in the jurisdiction"
    )
    search: str | None = Field(
        None, max_length=60, description="Name, or the start of an ID number"
    )


class CounselorListQuery(ListQuery):
    state: CounselorState | None = None


class CenterListQuery(ListQuery):
    state: CenterState | None = None


class DetailQuery(RequestModel):
    full_personal_data: bool = Field(
        False,
        description="Show full ID numbers and mobiles; needs a role allowed to "
        "see them, and each view is written to the security log",
    )


class PageInfo(BaseModel):
    page: int
    per_page: int
    total: int
    pages: int


class DepartmentRef(BaseModel):
    code: str
    name: str


# Counselors.


class CounselorSummary(BaseModel):
    id: int
    version: int
    state: CounselorState
    state_label: str
    name: str
    gender: str
    id_number: str = Field(description="Masked unless full data was requested")
    mobile: str = Field(description="Masked unless full data was requested")
    employer: str
    work_areas: list[str]
    department: DepartmentRef
    certificate_number: str | None
    submitted_at: BeijingDatetime | None
    state_changed_at: BeijingDatetime


class CounselorDetail(CounselorSummary):
    birth_date: date
    ethnicity: str
    political_status: str
    education: str
    professional_title: str | None
    position: str | None
    email: str | None
    source: str
    industries: list[str]
    working_mode: str
    entry_mode: str
    service_area_codes: list[str]
    served_cooperatives: int
    served_family_farms: int
    served_others: int
    notice_starts_on: date | None
    notice_ends_on: date | None
    appointed_on: date | None
    term_starts_on: date | None
    term_ends_on: date | None
    personal_data_masked: bool


class CounselorPage(BaseModel):
    items: list[CounselorSummary]
    paging: PageInfo


class NominationBody(RequestModel):
    """The fields of the nomination form, plus whether to submit at once."""

    name: Annotated[str, Field(max_length=30)]
    gender: Annotated[str, Field(max_length=2)]
    id_number: Annotated[str, Field(max_length=30)]
    ethnicity: Annotated[str, Field(max_length=10)]
    political_status: Annotated[str, Field(max_length=10)]
    education: Annotated[str, Field(max_length=10)]
    professional_title: Annotated[str, Field(max_length=60)] | None = None
    employer: Text
    position: Annotated[str, Field(max_length=60)] | None = None
    mobile: Annotated[str, Field(max_length=11)]
    email: Annotated[str, Field(max_length=120)] | None = None
    source: Annotated[str, Field(max_length=30)]
    work_areas: Terms
    industries: Terms
    working_mode: Annotated[str, Field(max_length=4)]
    entry_mode: Annotated[str, Field(max_length=4)]
    service_area_codes: Annotated[list[DivisionCode], Field(max_length=500)]
    served_cooperatives: Count = 0
    served_family_farms: Count = 0
    served_others: Count = 0
    submit: StrictBool = Field(
        True, description="Nominate at once (true) or keep a draft (false)"
    )


# Service centers.


class OrganisationRef(BaseModel):
    name: str
    credit_code: str


class CenterSummary(BaseModel):
    id: int
    version: int
    state: CenterState
    state_label: str
    name: str
    organisation: OrganisationRef
    department: DepartmentRef
    county_code: str
    filing_number: str | None
    filed_on: date | None
    submitted_at: BeijingDatetime | None
    state_changed_at: BeijingDatetime


class CenterDetail(CenterSummary):
    organisation_type: str
    establishment: str
    co_building_mode: str
    address: str
    service_phone: str
    registered_on: date
    rectification_deadline: date | None
    closed_on: date | None


class CenterPage(BaseModel):
    items: list[CenterSummary]
    paging: PageInfo


# Workflow steps.


class StepInfo(BaseModel):
    trigger: str
    label: str
    needs_reason: bool
    blocked_reason: str | None = Field(
        description="Why a guard stops the step now, or null when it may be taken"
    )


class StepList(BaseModel):
    record_id: int
    state: str
    version: int
    steps: list[StepInfo]


class StepBody(RequestModel):
    trigger: Annotated[str, Field(min_length=1, max_length=40)]
    version: StrictInt = Field(
        ge=1, le=2**31 - 1, description="The version the decision was made on"
    )
    comment: Annotated[str, Field(max_length=MAX_COMMENT)] | None = None


class StepResult(BaseModel):
    record_id: int
    trigger: str
    state: str
    state_label: str
    version: int
    certificate_number: str | None = None


# Bulk upsert of registry records.


class RegistryRow(RequestModel):
    """One registry record, with the fields of the import template."""

    name: Annotated[str, Field(max_length=60)]
    gender: Annotated[str, Field(max_length=10)]
    id_number: Annotated[str, Field(max_length=30)]
    birth_date: date | None = None
    ethnicity: Annotated[str, Field(max_length=20)]
    political_status: Annotated[str, Field(max_length=20)]
    education: Annotated[str, Field(max_length=20)]
    professional_title: Annotated[str, Field(max_length=120)] | None = None
    employer: Annotated[str, Field(max_length=200)]
    position: Annotated[str, Field(max_length=120)] | None = None
    mobile: Annotated[str, Field(max_length=30)]
    email: Annotated[str, Field(max_length=200)] | None = None
    source: Annotated[str, Field(max_length=60)]
    work_areas: Terms
    industries: Terms
    working_mode: Annotated[str, Field(max_length=10)]
    entry_mode: Annotated[str, Field(max_length=10)]
    tier: Annotated[str, Field(max_length=10)] | None = None
    department: Annotated[str, Field(max_length=60)] | None = None
    service_area_codes: Annotated[
        list[Annotated[str, Field(max_length=60)]], Field(max_length=500)
    ]
    appointed_on: date | None = None
    term_starts_on: date | None = None
    term_ends_on: date | None = None
    certificate_number: Annotated[str, Field(max_length=40)] | None = None
    served_cooperatives: Count | None = None
    served_family_farms: Count | None = None
    served_others: Count | None = None


class BulkBody(RequestModel):
    rows: Annotated[list[RegistryRow], Field(min_length=1, max_length=MAX_BULK_ROWS)]


class BatchInfo(BaseModel):
    id: int
    status: str
    rows: int
    nominated: int
    appointed: int
    updated: int
    unchanged: int
    notices: list[str]
