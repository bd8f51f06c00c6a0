"""What administrators see of email delivery, and their decisions on it.

A registry administrator sees the emails sent to users of their
department and the departments below it. A message whose delivery is
uncertain waits for a person: either it arrived (marked sent) or it did
not (queued again). A failed message may also be queued again once its
cause, such as a wrong address, is fixed.
"""

import logging

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workflow import clock
from workflow.errors import InvalidTransition, RecordNotFound
from workflow.extensions import db
from workflow.models.department import Department
from workflow.models.outbox import OutboxMessage, OutboxStatus
from workflow.models.user import User

logger = logging.getLogger(__name__)

DELIVERED = "delivered"
RESEND = "resend"


def _in_jurisdiction(admin):
    return (
        select(OutboxMessage)
        .join(User, User.id == OutboxMessage.recipient_user_id)
        .join(Department, Department.id == User.department_id)
        .where(Department.path.startswith(admin.department.path, autoescape=True))
    )


def status_counts(admin):
    """Return the number of messages per status within ``admin``'s jurisdiction."""
    query = _in_jurisdiction(admin).subquery()
    rows = db.session.execute(
        select(query.c.status, func.count()).group_by(query.c.status)
    ).all()
    return {status: count for status, count in rows}


def messages(admin, status, limit=200):
    """Return the latest messages in ``status`` within ``admin``'s jurisdiction."""
    return db.session.scalars(
        _in_jurisdiction(admin)
        .where(OutboxMessage.status == status)
        .options(selectinload(OutboxMessage.attempts))
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    ).all()


def resolve(admin, message_id, decision):
    """Record ``admin``'s decision on an uncertain or failed message; commit."""
    message = db.session.scalars(
        _in_jurisdiction(admin).where(OutboxMessage.id == message_id).with_for_update()
    ).first()
    if message is None:
        raise RecordNotFound(f"outbox message {message_id} not visible to {admin.id}")
    allowed = {OutboxStatus.UNCERTAIN} | (
        {OutboxStatus.FAILED} if decision == RESEND else set()
    )
    if message.status not in allowed or decision not in (DELIVERED, RESEND):
        raise InvalidTransition(
            f"outbox {message_id} is {message.status.value}; cannot {decision}"
        )

    now = clock.now()
    if decision == DELIVERED:
        message.status = OutboxStatus.SENT
        message.sent_at = now
    else:
        message.status = OutboxStatus.PENDING
        # Attempts keep counting, so a resent message that fails for a
        # temporary reason is marked failed again at once rather than retried.
        message.next_attempt_at = now
    message.resolved_by_id = admin.id
    message.resolved_at = now
    db.session.commit()
    logger.info("outbox %s: %s by user %s", message_id, decision, admin.id)
    return message
