"""Separation of duties, as guards that workflow steps declare.

Two settings, both checked by the engine through each step's guards:

- ``FORBID_SELF_APPROVAL``: nobody approves or appoints a record they
  created or nominated;
- ``SIGN_OFF_BY_OTHER_THAN_REVIEWER``: the final sign-off must come from a
  different person than the reviewer who approved the record.

The guards read the record's audit trail, so they work for any workflow
whose records have audit events and, optionally, a ``created_by_id``.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow.extensions import db

# Audit actions that make a user the author of a record.
AUTHOR_ACTIONS = ("create", "nominate")
# The step whose actor counts as the reviewer for the sign-off rule.
REVIEW_ACTION = "approve"


def _actors(record, actions):
    # Imported here: workflow/states/ imports this module, and the models
    # import workflow/states/ for their state enums.
    from workflow.models.audit import AuditEvent

    return set(
        db.session.scalars(
            select(AuditEvent.actor_id).where(
                AuditEvent.record_type == record.__tablename__,
                AuditEvent.record_id == record.id,
                AuditEvent.action.in_(actions),
            )
        )
    )


def is_author(user, record):
    """Return whether ``user`` created or nominated ``record``."""
    if getattr(record, "created_by_id", None) == user.id:
        return True
    return user.id in _actors(record, AUTHOR_ACTIONS)


def not_own_record(record, context):
    """Refuse a decision on a record the actor created or nominated."""
    if not current_app.config["FORBID_SELF_APPROVAL"]:
        return None
    if is_author(context.actor, record):
        return _l("按职责分离要求，不能审批自己录入或推荐的记录，请由其他人员办理。")
    return None


def not_the_reviewer(record, context):
    """Refuse a final sign-off by the reviewer who approved the record."""
    if not current_app.config["SIGN_OFF_BY_OTHER_THAN_REVIEWER"]:
        return None
    if context.actor.id in _actors(record, (REVIEW_ACTION,)):
        return _l("按职责分离要求，终审须由审核人以外的人员办理。")
    return None
