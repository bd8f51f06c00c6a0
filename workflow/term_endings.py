"""The daily job that moves counselors whose term ends soon to "term ending".

The scheduler process runs it every day (notifications/scheduler.py), and
``flask counselors mark-terms-ending`` runs it by hand. It takes no ORM
objects, commits each counselor separately through the engine as the
department's system account, and is safe to run twice: a counselor already
in "term ending" is no longer selected.
"""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from workflow import clock, engine
from workflow.errors import WorkflowError
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.states.counselor import CounselorState
from workflow.system_accounts import system_account

logger = logging.getLogger(__name__)


def mark_terms_ending(today=None):
    """Move every appointed counselor whose term ends soon; return how many."""
    today = today or clock.now().date()
    horizon = today + timedelta(days=current_app.config["TERM_ENDING_NOTICE_DAYS"])
    due = db.session.execute(
        select(Counselor.id, Counselor.department_id)
        .where(
            Counselor.state == CounselorState.APPOINTED,
            Counselor.term_ends_on <= horizon,
        )
        .order_by(Counselor.id)
    ).all()
    moved = 0
    for counselor_id, department_id in due:
        if _mark_one(counselor_id, department_id):
            moved += 1
    logger.info("term-ending job: %s of %s counselors moved", moved, len(due))
    return moved


def _mark_one(counselor_id, department_id):
    try:
        actor = system_account(department_id)
        engine.fire(Counselor, counselor_id, "start_term_ending", actor)
    except WorkflowError:
        logger.exception("term-ending job could not move counselor %s", counselor_id)
        db.session.rollback()
        return False
    return True
