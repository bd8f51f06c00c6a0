"""Writing messages in the same transaction as the change that causes them.

``notify_users`` adds one in-product notification per user and, unless the
user has no address or has turned email off for an optional kind, one
outbox row for the sender. Nothing is committed here: the caller's commit
makes the change and its messages visible together, and its rollback
discards both. A key already written is skipped, so running the same sweep
or request twice adds nothing.
"""

import logging

from sqlalchemy import select

from notifications.kinds import kind_for
from workflow import clock
from workflow.extensions import db
from workflow.idempotent_insert import insert_missing
from workflow.models.notification import EmailOptOut, Notification
from workflow.models.outbox import OutboxMessage, OutboxStatus
from workflow.models.user import User, UserRole

logger = logging.getLogger(__name__)


def department_staff(department_id, roles):
    """Return the enabled users of a department holding any of ``roles``."""
    return staff_by_department([department_id], roles).get(department_id, [])


def staff_by_department(department_ids, roles):
    """Return a dict of department id to its enabled users holding ``roles``.

    The users are plain rows (id, department_id, email, display_name), so
    they stay usable across the commits of a long sweep.
    """
    rows = db.session.execute(
        select(User.id, User.department_id, User.email, User.display_name)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.department_id.in_(department_ids),
            User.is_enabled.is_(True),
            UserRole.role.in_(roles),
        )
        .distinct()
        .order_by(User.id)
    ).all()
    staff = {}
    for row in rows:
        staff.setdefault(row.department_id, []).append(row)
    return staff


def notify_department(department_id, roles, kind, key, context, **about):
    """Notify the staff of a department who hold ``roles``; return rows added."""
    users = department_staff(department_id, roles)
    if not users:
        logger.info("%s: department %s has no recipient", key, department_id)
    return notify_users(users, kind, key, context, **about)


def written_keys(record_type, since):
    """Return the notification keys about ``record_type`` written since a time.

    Sweeps read them once and skip users already notified, which spares a
    statement per user on the many days when nothing new is due. The
    INSERT … ON CONFLICT still guards against a concurrent writer.
    """
    return set(
        db.session.scalars(
            select(Notification.idempotency_key).where(
                Notification.record_type == record_type,
                Notification.created_at >= since,
            )
        )
    )


def notify_users(
    users, kind, key, context, *, about=None, link=None, skip_keys=frozenset()
):
    """Add a notification and an email for each user; return rows added.

    ``users`` are ``User`` objects or rows with the same attribute names.
    ``key`` identifies the event (for example rule, department and
    deadline); each user's rows get ``key`` plus the user id. ``about`` is
    the (table name, id) of the record the message concerns, and ``link``
    the path of its page. Users whose key is in ``skip_keys`` are skipped.
    """
    message_kind = kind_for(kind)
    users = [user for user in users if f"{key}:user{user.id}" not in skip_keys]
    if not users:
        return 0
    now = clock.now()
    record_type, record_id = about or (None, None)
    about = {"record_type": record_type, "record_id": record_id, "link": link}
    opted_out = set() if message_kind.mandatory else _opted_out(users, kind)
    added = 0
    for user in users:
        user_key = f"{key}:user{user.id}"
        common = {"idempotency_key": user_key, "kind": kind, "context": context}
        added += _insert_new(
            Notification,
            {**common, **about, "user_id": user.id, "created_at": now},
        )
        if user.email and user.id not in opted_out:
            added += _insert_new(
                OutboxMessage,
                {
                    **common,
                    **about,
                    "recipient_user_id": user.id,
                    "recipient_address": user.email.strip(),
                    "recipient_name": user.display_name,
                    "status": OutboxStatus.PENDING,
                    "attempt_count": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                },
            )
    return added


def _opted_out(users, kind):
    ids = [user.id for user in users]
    return set(
        db.session.scalars(
            select(EmailOptOut.user_id).where(
                EmailOptOut.kind == kind, EmailOptOut.user_id.in_(ids)
            )
        )
    )


def _insert_new(model, values):
    return insert_missing(model, [values], ["idempotency_key"])
