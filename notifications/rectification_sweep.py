"""The daily sweep of service centers ordered to rectify by a deadline.

Before the deadline the center's own accounts are reminded; the day after
it, if no rectification report has come in, the reviewers and leaders of
the department that ordered it are told.
"""

from collections import Counter

from sqlalchemy import func, select

from notifications import rules
from notifications.outbox import notify_users, staff_by_department
from workflow.extensions import db
from workflow.models.applicant import ApplicantOrganisation
from workflow.models.department import Department
from workflow.models.service_center import ServiceCenter
from workflow.models.supervision import Rectification
from workflow.models.user import User
from workflow.roles import Role
from workflow.states.service_center import CenterState

OVERDUE_RECIPIENTS = (Role.REVIEWER, Role.LEADER)


def sweep_rectifications(today):
    """Write the rectification reminders and overdue messages due ``today``."""
    rectification_rules = rules.rectification_rules()
    orders = open_orders()
    staff = staff_by_department({o.department_id for o in orders}, OVERDUE_RECIPIENTS)
    accounts = center_accounts({o.organisation_id for o in orders})
    overdue = next(r for r in rectification_rules if not r.is_advance_warning)
    written = Counter()
    for order in orders:
        warning = rules.latest_due_warning(rectification_rules, order.deadline, today)
        if warning is not None:
            recipients = accounts.get(order.organisation_id, [])
            written[warning.kind] += _notify(order, warning, recipients, today)
        if rules.is_due(overdue, order.deadline, today):
            recipients = staff.get(order.department_id, [])
            written[overdue.kind] += _notify(order, overdue, recipients, today)
    db.session.commit()
    return written


def open_orders():
    """Return plain rows of the open orders of centers still rectifying."""
    return db.session.execute(
        select(
            Rectification.id,
            Rectification.center_id,
            Rectification.deadline,
            Rectification.reason,
            ServiceCenter.name.label("center_name"),
            ServiceCenter.department_id,
            ServiceCenter.organisation_id,
            Department.name.label("department_name"),
        )
        .join(ServiceCenter, ServiceCenter.id == Rectification.center_id)
        .join(Department, Department.id == ServiceCenter.department_id)
        .where(
            ServiceCenter.state == CenterState.RECTIFYING,
            Rectification.outcome.is_(None),
            Rectification.submitted_at.is_(None),
        )
        .order_by(Rectification.id)
    ).all()


def center_accounts(organisation_ids):
    """Return a dict of organisation id to its enabled accounts.

    An account without an email address of its own is written to at the
    organisation's confirmed contact address.
    """
    rows = db.session.execute(
        select(
            User.id,
            User.organisation_id,
            func.coalesce(User.email, ApplicantOrganisation.email).label("email"),
            User.display_name,
        )
        .join(ApplicantOrganisation, ApplicantOrganisation.id == User.organisation_id)
        .where(
            User.organisation_id.in_(organisation_ids),
            User.is_enabled.is_(True),
        )
        .order_by(User.id)
    ).all()
    accounts = {}
    for row in rows:
        accounts.setdefault(row.organisation_id, []).append(row)
    return accounts


def _notify(order, rule, recipients, today):
    context = {
        "center_name": order.center_name,
        "department_name": order.department_name,
        "deadline": order.deadline.isoformat(),
        "days_left": (order.deadline - today).days,
        "reason": order.reason,
    }
    return notify_users(
        recipients,
        rule.kind,
        f"{rule.code}:{order.id}:{order.deadline.isoformat()}",
        context,
        about=(Rectification.__tablename__, order.id),
        link=f"/centers/{order.center_id}",
    )
