"""The audit log as administrators read it: workflow and security events.

Workflow state changes (``AuditEvent``) and security events (sign-ins,
account changes, personal-data access) are listed together, newest first,
limited to events of the reader's department and the departments below
it. Nothing here changes or deletes an event, because both tables are
append-only. The product keeps every row; the Cybersecurity Law (Article
21) requires network logs to be kept for at least six months.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import String, cast, func, literal, null, or_, select, union_all

from workflow.extensions import db
from workflow.models.audit import AuditEvent
from workflow.models.department import Department
from workflow.models.security_event import SecurityEvent
from workflow.models.user import User
from workflow.queue import Page


@dataclass(frozen=True)
class AuditFilters:
    """Criteria that narrow the audit log."""

    user: str | None = None
    department_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


def _all_events():
    workflow_events = select(
        literal("workflow").label("kind"),
        AuditEvent.id.label("id"),
        AuditEvent.created_at.label("created_at"),
        AuditEvent.actor_id.label("actor_id"),
        AuditEvent.department_id.label("department_id"),
        AuditEvent.action.label("action"),
        AuditEvent.record_type.label("subject_type"),
        AuditEvent.record_id.label("subject_id"),
        AuditEvent.comment.label("detail"),
        cast(null(), String(45)).label("address"),
    )
    security_events = select(
        literal("security").label("kind"),
        SecurityEvent.id,
        SecurityEvent.created_at,
        SecurityEvent.actor_id,
        SecurityEvent.department_id,
        SecurityEvent.action,
        SecurityEvent.subject_type,
        SecurityEvent.subject_id,
        SecurityEvent.detail,
        SecurityEvent.address,
    )
    return union_all(workflow_events, security_events).subquery("events")


def events_query(reader, filters):
    """Return a SELECT of the events ``reader`` may read, matching ``filters``."""
    events = _all_events()
    query = (
        select(
            events,
            User.username,
            User.display_name,
            Department.name.label("department_name"),
        )
        .outerjoin(User, User.id == events.c.actor_id)
        .outerjoin(Department, Department.id == events.c.department_id)
    )
    inside = Department.path.startswith(reader.department.path, autoescape=True)
    if reader.department.parent_id is None:
        # Failed sign-ins with unknown user names belong to no department;
        # only the Ministry's administrators see them.
        inside = or_(inside, events.c.department_id.is_(None))
    query = query.where(inside)
    query = _apply(query, events, filters)
    return query.order_by(events.c.created_at.desc(), events.c.id.desc())


def _apply(query, events, filters):
    if filters.user:
        text = filters.user.strip()
        query = query.where(
            or_(
                User.username == text, User.display_name.contains(text, autoescape=True)
            )
        )
    if filters.department_id:
        chosen = db.session.get(Department, filters.department_id)
        if chosen is not None:
            query = query.where(
                Department.path.startswith(chosen.path, autoescape=True)
            )
    if filters.action:
        query = query.where(events.c.action == filters.action)
    if filters.date_from:
        query = query.where(
            events.c.created_at >= datetime.combine(filters.date_from, time.min)
        )
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min)
        query = query.where(events.c.created_at < end)
    return query


def page_of_events(reader, filters, number, size):
    """Return one page of the events ``reader`` may read."""
    query = events_query(reader, filters)
    total = db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
    number = max(1, number)
    rows = db.session.execute(query.limit(size).offset((number - 1) * size)).all()
    return Page(items=list(rows), total=total, number=number, size=size)
