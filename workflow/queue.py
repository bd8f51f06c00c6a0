"""The reviewer queue (待办) and the registry list, with filters and paging.

The queue holds the records of the user's own department that wait in a
state from which one of the user's roles may take a step; it is derived
from the workflow table, so a new step shows up in the queue by itself.
"""

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from workflow.extensions import db
from workflow.jurisdiction import visible_records
from workflow.models.counselor import (
    Counselor,
    CounselorServiceArea,
    CounselorWorkArea,
)
from workflow.models.department import Department

_ID_SEARCH = re.compile(r"^[0-9]{4,17}[0-9Xx]?$")


@dataclass(frozen=True)
class Filters:
    """Criteria a user can set on the queue or the registry list."""

    state: object = None
    work_area: str | None = None
    county_code: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    search: str | None = None


@dataclass(frozen=True)
class Page:
    """One page of a listing and where it stands among the others."""

    items: list
    total: int
    number: int
    size: int

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
    """Return the states from which ``user``'s roles may take some step."""
    return {
        source
        for step in workflow.steps.values()
        if step.interactive and user.has_role(*step.roles)
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


def registry_query(user, filters):
    """Return the SELECT of every record the user may see, newest first."""
    query = apply_filters(visible_records(user, Counselor), filters)
    return query.order_by(Counselor.state_changed_at.desc(), Counselor.id.desc())


def apply_filters(query, filters):
    """Narrow a SELECT of counselors by ``filters``."""
    if filters.state is not None:
        query = query.where(Counselor.state == filters.state)
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
    if filters.submitted_from:
        start = datetime.combine(filters.submitted_from, time.min)
        query = query.where(Counselor.submitted_at >= start)
    if filters.submitted_to:
        end = datetime.combine(filters.submitted_to + timedelta(days=1), time.min)
        query = query.where(Counselor.submitted_at < end)
    if filters.search:
        query = _filter_search(query, filters.search.strip())
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
    number = max(1, number)
    items = db.session.scalars(query.limit(size).offset((number - 1) * size)).all()
    return Page(items=list(items), total=total, number=number, size=size)
