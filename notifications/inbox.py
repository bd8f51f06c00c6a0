"""A user's in-product notifications (the bell) and email preferences."""

import logging
from dataclasses import dataclass

from flask_babel import gettext as _
from jinja2 import TemplateError
from sqlalchemy import delete, func, select, update

from notifications.kinds import optional_kinds
from notifications.rendering import render
from workflow import clock
from workflow.extensions import db
from workflow.models.notification import EmailOptOut, Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InboxItem:
    """A notification with its rendered subject and text."""

    notification: Notification
    subject: str
    text: str


def unread_count(user):
    """Return how many of ``user``'s notifications are unread."""
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    )


def inbox(user, limit=100):
    """Return ``user``'s latest notifications, newest first, rendered."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).all()
    return [_rendered(row) for row in rows]


def _rendered(notification):
    try:
        message = render(notification.kind, notification.context)
    except TemplateError:
        # The sender marks the email of this message failed. Here the user
        # still sees that something arrived.
        logger.exception("notification %s: template failed", notification.id)
        return InboxItem(notification, _("通知内容无法显示"), "")
    return InboxItem(notification, message.subject, message.text)


def open_notification(user, notification_id):
    """Mark one of ``user``'s notifications read; return it, or None if not theirs."""
    notification = db.session.scalars(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    ).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = clock.now()
        db.session.commit()
    return notification


def mark_all_read(user):
    """Mark every unread notification of ``user`` read; commit."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()


def email_opt_outs(user):
    """Return the codes of the kinds ``user`` does not want by email."""
    return set(
        db.session.scalars(
            select(EmailOptOut.kind).where(EmailOptOut.user_id == user.id)
        )
    )


def set_email_opt_outs(user, kinds):
    """Replace ``user``'s opt-outs with ``kinds``; mandatory kinds are ignored."""
    allowed = {kind.code for kind in optional_kinds()}
    db.session.execute(delete(EmailOptOut).where(EmailOptOut.user_id == user.id))
    for code in sorted(set(kinds) & allowed):
        db.session.add(EmailOptOut(user_id=user.id, kind=code))
    db.session.commit()
    logger.info(
        "user %s: email opt-outs set to %s", user.id, sorted(set(kinds) & allowed)
    )
