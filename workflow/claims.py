"""Claims on queue items: a reviewer takes an item, an administrator reassigns.

A claim holds while the record stays in the state it was claimed in. While
it holds, only the claimant may take a step on the record; the engine
checks this. A step ends the claim, except a step declared with
``keeps_claim`` taken by the claimant, which carries the claim into the
new state (accepting a nomination for review keeps it with its reviewer).
A registry administrator of the owning department may release a claim or
assign the record to another colleague, for example when a reviewer is
away.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, select

from workflow import clock, security_log
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner
from workflow.models.claim import QueueClaim
from workflow.models.user import User
from workflow.roles import Role

logger = logging.getLogger(__name__)


# Default of the ``row`` arguments below: read the claim row from the
# database. The engine reads it once and passes it to both calls.
LOOK_UP = object()


def claim_row(record):
    """Return the claim row of ``record``, whether or not it still holds."""
    return db.session.get(QueueClaim, (record.__tablename__, record.id))


def with_claim_row(query, model):
    """Add the claim row of each ``model`` record, or None, to a SELECT of them.

    Lets the engine read a record and its claim in one round trip. Under
    ``FOR UPDATE OF`` the record alone is locked on PostgreSQL (MariaDB,
    which has no ``OF``, locks the claim row too); that is enough, because
    a claim changes only under the lock of its record.
    """
    return query.add_columns(QueueClaim).outerjoin(
        QueueClaim,
        and_(
            QueueClaim.record_type == model.__tablename__,
            QueueClaim.record_id == model.id,
        ),
    )


def effective_claim(record, row=LOOK_UP):
    """Return the claim that holds on ``record`` now, or None."""
    claim = claim_row(record) if row is LOOK_UP else row
    if claim is None or claim.state != record.state.name:
        return None
    return claim


def claims_for(model, record_ids):
    """Return {record id: claim} for those of ``record_ids`` that have one."""
    rows = db.session.scalars(
        select(QueueClaim).where(
            QueueClaim.record_type == model.__tablename__,
            QueueClaim.record_id.in_(list(record_ids)),
        )
    )
    return {claim.record_id: claim for claim in rows}


def can_act_in_state(user, record):
    """Return whether ``user`` has a role for some step from the record's state."""
    workflow = type(record).__workflow__
    return any(user.has_role(*step.roles) for step in workflow.steps_from(record.state))


def check_claim(actor, record, row=LOOK_UP):
    """Raise ``NotPermitted`` if someone other than ``actor`` has a claim."""
    claim = effective_claim(record, row)
    if claim is not None and claim.assignee_id != actor.id:
        raise NotPermitted(
            f"{record.__tablename__} {record.id} is claimed by user "
            f"{claim.assignee_id}",
            _l(
                "该记录已由 %(name)s 认领，请联系认领人或本部门名录库管理员改派。",
                name=claim.assignee.display_name,
            ),
        )


def after_step(record, step, actor, row=LOOK_UP):
    """Carry or end the claim on ``record`` after ``step``; the caller commits."""
    claim = claim_row(record) if row is LOOK_UP else row
    if claim is None:
        return
    if step.keeps_claim and claim.assignee_id == actor.id:
        claim.state = record.state.name
    else:
        db.session.delete(claim)


def claim(user, record):
    """Claim ``record`` for ``user``; the caller commits."""
    if not is_owner(user, record) or not can_act_in_state(user, record):
        raise NotPermitted(
            f"user {user.id} cannot act on {record.__tablename__} {record.id}",
            _l("只能认领本部门中等待您办理的记录。"),
        )
    check_claim(user, record)
    _set_claim(record, user, assigned_by=None)
    security_log.record_event(security_log.CLAIM, user, subject=record)


def release(user, record):
    """Release the claim on ``record``: the claimant's own, or as administrator."""
    claim = effective_claim(record)
    if claim is None:
        return
    if claim.assignee_id != user.id and not _is_department_admin(user, record):
        raise NotPermitted(
            f"user {user.id} cannot release the claim of {claim.assignee_id}",
            _l("只能释放自己认领的记录。"),
        )
    db.session.delete(claim)
    security_log.record_event(security_log.CLAIM_RELEASED, user, subject=record)


def reassign(admin, record, assignee):
    """Assign ``record`` to ``assignee`` as a department administrator."""
    if not _is_department_admin(admin, record):
        raise NotPermitted(
            f"user {admin.id} is not an administrator of department "
            f"{record.department_id}",
            _l("只有本部门名录库管理员可以改派。"),
        )
    if assignee.department_id != record.department_id or not can_act_in_state(
        assignee, record
    ):
        raise DomainValidationError(
            "assignee",
            f"user {assignee.id} cannot act on {record.__tablename__} {record.id}",
            _l("%(name)s 不能办理该记录当前的环节。", name=assignee.display_name),
        )
    if not assignee.is_enabled:
        raise DomainValidationError(
            "assignee",
            f"user {assignee.id} is disabled",
            _l("不能改派给已停用的账号。"),
        )
    _set_claim(record, assignee, assigned_by=admin)
    security_log.record_event(
        security_log.REASSIGN, admin, subject=record, detail=assignee.display_name
    )
    logger.info(
        "%s %s assigned to user %s by user %s",
        record.__tablename__,
        record.id,
        assignee.id,
        admin.id,
    )


def _is_department_admin(user, record):
    return is_owner(user, record) and user.has_role(Role.REGISTRY_ADMIN)


def _set_claim(record, assignee, assigned_by):
    claim = db.session.get(QueueClaim, (record.__tablename__, record.id))
    if claim is None:
        claim = QueueClaim(record_type=record.__tablename__, record_id=record.id)
        db.session.add(claim)
    claim.state = record.state.name
    claim.assignee_id = assignee.id
    claim.assigned_by_id = assigned_by.id if assigned_by else None
    claim.claimed_at = clock.wall_now()


def filter_by_claim(query, model, user, mode):
    """Narrow a SELECT of ``model`` to "mine", "unclaimed" or "others"."""
    held = and_(
        QueueClaim.record_type == model.__tablename__,
        QueueClaim.record_id == model.id,
        QueueClaim.state == model.state,
    )
    if mode == "mine":
        return query.where(exists().where(held, QueueClaim.assignee_id == user.id))
    if mode == "unclaimed":
        return query.where(~exists().where(held))
    if mode == "others":
        return query.where(exists().where(held, QueueClaim.assignee_id != user.id))
    return query


def colleagues(user):
    """Return the enabled users of ``user``'s department, by name."""
    return db.session.scalars(
        select(User)
        .where(User.department_id == user.department_id, User.is_enabled.is_(True))
        .order_by(User.display_name)
    ).all()
