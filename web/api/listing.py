"""Paging and the department filter shared by the API's list endpoints."""

from sqlalchemy import select

from web.api.schemas import PageInfo
from workflow.errors import RecordNotFound
from workflow.extensions import db
from workflow.models.department import Department
from workflow.queue import paginate


def within_department(query, actor, code):
    """Narrow ``query`` to department ``code`` and those below it.

    Raises ``RecordNotFound`` for a department outside ``actor``'s
    jurisdiction, as for a record there. ``query`` must already join
    ``Department``, as ``visible_records`` does.
    """
    if code is None:
        return query
    department = db.session.scalar(select(Department).where(Department.code == code))
    if department is None or not department.is_within(actor.department):
        raise RecordNotFound(
            f"department {code} not within department {actor.department.code}"
        )
    return query.where(Department.path.startswith(department.path, autoescape=True))


def page_of(query, listing_query, serialize):
    """Run ``query`` for the requested page; return the items and paging."""
    page = paginate(query, listing_query.page, listing_query.per_page)
    paging = PageInfo(
        page=page.number, per_page=page.size, total=page.total, pages=page.pages
    )
    return [serialize(record) for record in page.items], paging


def workflow_fields(record):
    """Return the response fields every record with a workflow has."""
    return {
        "id": record.id,
        "version": record.version,
        "state": record.state,
        "state_label": str(record.state.label),
        "department": {"code": record.department.code, "name": record.department.name},
        "submitted_at": record.submitted_at,
        "state_changed_at": record.state_changed_at,
    }
