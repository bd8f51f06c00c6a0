"""Inserting and changing a counselor's activity rows: services and trainings.

Both kinds share the same path: the counselor must be visible, the author
allowed, the year still open, and the row's own field checks must pass.
"""

import logging

from workflow import clock
from workflow.activity_rules import check_may_edit, check_may_enter, check_year_open
from workflow.extensions import db
from workflow.jurisdiction import load_visible
from workflow.models.counselor import Counselor

logger = logging.getLogger(__name__)


def insert_activity(model, actor, counselor_id, values, check_values):
    """Insert a ``model`` row for a counselor and commit; return it.

    ``check_values(counselor, values)`` raises ``DomainValidationError`` for
    a bad field; nothing is written then.
    """
    counselor = load_visible(actor, Counselor, counselor_id)
    check_may_enter(actor, counselor)
    check_values(counselor, values)
    now = clock.now()
    record = model(
        counselor_id=counselor.id,
        department_id=counselor.department_id,
        author_id=actor.id,
        created_at=now,
        updated_at=now,
        **values.__dict__,
    )
    db.session.add(record)
    db.session.commit()
    logger.info(
        "%s %s for counselor %s by user %s",
        model.__tablename__,
        record.id,
        counselor.id,
        actor.id,
    )
    return record


def update_activity(model, actor, record_id, values, check_values, day_field):
    """Save changes to a ``model`` row and commit; return it.

    ``day_field`` names the row's date, whose year must still be open.
    """
    record = load_visible(actor, model, record_id, for_update=True)
    check_may_edit(actor, record)
    check_year_open(record.department_id, getattr(record, day_field).year)
    check_values(record.counselor, values)
    for name, value in values.__dict__.items():
        setattr(record, name, value)
    record.updated_at = clock.now()
    db.session.commit()
    logger.info("%s %s changed by user %s", model.__tablename__, record.id, actor.id)
    return record
