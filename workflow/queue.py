"""The reviewer queue (待办) and the registry list, with filters and paging.

The queue contains the records of the user's own department that wait in
a state from which one of the user's roles may take a queued step. It is
derived from the workflow tables, so a new step shows up in the queue by
itself. Counselors and service centers share one queue, oldest waiting
first, and the ``kind`` filter narrows it to one of them.
"""

import math
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.orm import joinedload, lazyload

from workflow import claims
from workflow.extensions import db
from workflow.jurisdiction import visible_records
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.counselor import (
    Counselor,
    CounselorServiceArea,
    CounselorWorkArea,
)
from workflow.models.department import Department
from workflow.models.service_center import CenterService, ServiceCenter
from workflow.states.counselor import LEFT_STATES, SERVING_STATES, CounselorState
from workflow.states.service_center import CenterState

# Kinds of record in the queue, keyed as the ``kind`` filter names them.
KINDS = {"counselor": Counselor, "service_center": ServiceCenter}
STATE_ENUMS = {"counselor": CounselorState, "service_center": CenterState}

# Counting the queue stops here, so that the page of a department that
# imported a whole registry at once still costs the same as a small one.
# 10,000 records are 200 pages of 50, past what anyone pages through.
COUNT_LIMIT = 10_000

_ID_SEARCH = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")

# Groups of states for the registry list's standing filter (在册情况).
STANDINGS = {
    "serving": SERVING_STATES,
    "left": LEFT_STATES,
    "struck_off": (CounselorState.STRUCK_OFF,),
}


@dataclass(frozen=True)
class Filters:
    """Criteria a user can set on the queue or the registry list."""

    state: object = None
    standing: str | None = None
    work_area: str | None = None
    county_code: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str | None = None
    kind: str | None = None
    # Queue only: "mine", "unclaimed" or "others" (see workflow/claims.py).
    claimed: str | None = None


@dataclass(frozen=True)
class QueueItem:
    """One record in the queue and which kind of record it is."""

    kind: str
    record: object


@dataclass(frozen=True)
class Page:
    """One page of a listing and its position among the others."""

    items: list
    total: int
    number: int
    size: int
    # False when counting stopped at COUNT_LIMIT: ``total`` is then a lower
    # bound and the pages past it are reached through the filters.
    counted_all: bool = True

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages


def awaiting_states(user, workflow):
    """Return the states from which ``user``'s roles may take a queued step."""
    return {
        source
        for step in workflow.steps.values()
        if step.interactive and step.in_queue and user.has_role(*step.roles)
        for source in step.sources
    }


def queue_query(user, filters):
    """Return the SELECT of the user's queue, oldest waiting first."""
    states = awaiting_states(user, Counselor.__workflow__)
    query = select(Counselor).where(
        Counselor.department_id == user.department_id,
        Counselor.state.in_(states),
    )
    query = apply_filters(query, filters)
    return query.order_by(Counselor.state_changed_at, Counselor.id)


def center_queue_query(user, filters):
    """Return the SELECT of the service centers in the user's queue."""
    states = awaiting_states(user, ServiceCenter.__workflow__)
    query = select(ServiceCenter).where(
        ServiceCenter.department_id == user.department_id,
        ServiceCenter.state.in_(states),
    )
    query = apply_center_filters(query, filters)
    return query.order_by(ServiceCenter.state_changed_at, ServiceCenter.id)


def queue_page(user, filters, number, size):
    """Return page ``number`` of the queue across every kind of record.

    ``filters.state`` is a state value such as ``"under_review"``. It
    applies to each kind whose workflow has that state, and the kinds
    without it are left out. The page's items are ``QueueItem``s. Counting
    stops at ``COUNT_LIMIT``; see ``Page.counted_all``.
    """
    parts = [
        (kind, query)
        for kind, query in _queue_queries(user, filters)
        if query is not None
    ]
    if not parts:
        return Page(items=[], total=0, number=max(1, number), size=size)
    total, counted_all = _count_keys(parts)
    number = _page_within(number, total, size)
    end = number * size
    # Each kind gives at most its first ``end`` keys, which PostgreSQL reads
    # in order from the ix_*_waiting index and stops; only those are merged.
    keys = union_all(*(_first_keys(kind, query, end) for kind, query in parts))
    keys = keys.subquery()
    rows = db.session.execute(
        select(keys.c.kind, keys.c.id)
        .order_by(keys.c.waiting_since, keys.c.kind, keys.c.id)
        .limit(size)
        .offset(end - size)
    ).all()
    return Page(
        items=_load_items(rows),
        total=total,
        number=number,
        size=size,
        counted_all=counted_all,
    )


def _count_keys(parts):
    # Branches that select nothing but a constant can be answered from the
    # ix_*_queue index alone.
    rows = union_all(
        *(query.order_by(None).with_only_columns(literal(1)) for _, query in parts)
    )
    capped = select(literal(1)).select_from(rows.subquery())
    capped = capped.limit(COUNT_LIMIT + 1).subquery()
    counted = db.session.scalar(select(func.count()).select_from(capped))
    return min(counted, COUNT_LIMIT), counted <= COUNT_LIMIT


def _first_keys(kind, query, limit):
    # A subquery, because SQLite takes no LIMIT inside a UNION's branches.
    first = _queue_keys(kind, query).limit(limit).subquery()
    return select(first.c.kind, first.c.id, first.c.waiting_since)


def _queue_queries(user, filters):
    builders = {"counselor": queue_query, "service_center": center_queue_query}
    for kind, build in builders.items():
        if filters.kind not in (None, kind):
            continue
        kind_filters = _filters_for(kind, filters)
        if kind_filters is None:
            yield kind, None
            continue
        query = build(user, kind_filters)
        if filters.claimed:
            query = claims.filter_by_claim(query, KINDS[kind], user, filters.claimed)
        yield kind, query


def _filters_for(kind, filters):
    if filters.state is None:
        return filters
    values = {state.value for state in STATE_ENUMS[kind]}
    if filters.state not in values:
        return None
    return replace(filters, state=STATE_ENUMS[kind](filters.state))


def _queue_keys(kind, query):
    model = KINDS[kind]
    return query.with_only_columns(
        cast(literal(kind), String(20)).label("kind"),
        model.id.label("id"),
        model.state_changed_at.label("waiting_since"),
    )


# The queue shows a counselor's work areas but not their industries or
# service areas, so those collections are left unloaded. A service center
# shows its organisation's credit code, loaded in the same query rather
# than once per row, and needs neither its staff nor its prices.
_QUEUE_LOADS = {
    "counselor": (
        lazyload(Counselor.industry_rows),
        lazyload(Counselor.service_area_rows),
    ),
    "service_center": (
        joinedload(ServiceCenter.organisation),
        lazyload(ServiceCenter.staff),
        lazyload(ServiceCenter.prices),
    ),
}


def _load_items(rows):
    ids = {kind: [row.id for row in rows if row.kind == kind] for kind in KINDS}
    records = {
        (kind, record.id): record
        for kind, model in KINDS.items()
        if ids[kind]
        for record in db.session.scalars(
            select(model).where(model.id.in_(ids[kind])).options(*_QUEUE_LOADS[kind])
        )
    }
    return [QueueItem(row.kind, records[(row.kind, row.id)]) for row in rows]


def registry_query(user, filters):
    """Return the SELECT of every record the user may see, newest first."""
    query = apply_filters(visible_records(user, Counselor), filters)
    return query.order_by(Counselor.state_changed_at.desc(), Counselor.id.desc())


def apply_filters(query, filters):
    """Narrow a SELECT of counselors by ``filters``."""
    if filters.state is not None:
        query = query.where(Counselor.state == filters.state)
    if filters.standing in STANDINGS:
        query = query.where(Counselor.state.in_(STANDINGS[filters.standing]))
    if filters.work_area:
        query = query.where(
            Counselor.id.in_(
                select(CounselorWorkArea.counselor_id).where(
                    CounselorWorkArea.work_area == filters.work_area
                )
            )
        )
    if filters.county_code:
        query = _filter_county(query, filters.county_code)
    query = _filter_submitted(query, Counselor.submitted_at, filters)
    if filters.search:
        query = _filter_search(query, filters.search.strip())
    return query


def apply_center_filters(query, filters):
    """Narrow a SELECT of service centers by ``filters``."""
    if filters.state is not None:
        query = query.where(ServiceCenter.state == filters.state)
    if filters.work_area:
        query = query.where(
            ServiceCenter.id.in_(
                select(CenterService.center_id).where(
                    CenterService.work_area == filters.work_area
                )
            )
        )
    if filters.county_code:
        query = query.where(ServiceCenter.county_code == filters.county_code)
    query = _filter_submitted(query, ServiceCenter.submitted_at, filters)
    if filters.search:
        query = _filter_center_search(query, filters.search.strip())
    return query


def _filter_center_search(query, text):
    by_code = select(ApplicantOrganisation.id).where(
        ApplicantOrganisation.credit_code.startswith(text.upper(), autoescape=True)
    )
    return query.where(
        ServiceCenter.name.contains(text, autoescape=True)
        | ServiceCenter.organisation_id.in_(by_code)
    )


def _filter_submitted(query, column, filters):
    if filters.submitted_from:
        start = datetime.combine(filters.submitted_from, time.min)
        query = query.where(column >= start)
    if filters.submitted_to:
        end = datetime.combine(filters.submitted_to, time.max)
        query = query.where(column <= end)
    return query


def _filter_county(query, code):
    # A county matches records it appointed and records of counselors who
    # serve it, whoever appointed them.
    appointed_there = select(Department.id).where(Department.code == code)
    serving_there = select(CounselorServiceArea.counselor_id).where(
        CounselorServiceArea.division_code == code
    )
    return query.where(
        Counselor.department_id.in_(appointed_there) | Counselor.id.in_(serving_there)
    )


def _filter_search(query, text):
    if _ID_SEARCH.match(text):
        return query.where(Counselor.id_number.startswith(text.upper()))
    return query.where(Counselor.name.contains(text, autoescape=True))


def paginate(query, number, size):
    """Run ``query`` for page ``number`` (from 1) of ``size`` rows."""
    total = db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
    number = _page_within(number, total, size)
    items = db.session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(items=list(items), total=total, number=number, size=size)


def _page_within(number, total, size):
    # A page past the end shows the last page rather than an empty one.
    last = max(1, math.ceil(total / size))
    return min(max(1, number), last)
