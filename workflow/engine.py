"""The workflow engine: the one place where records change state.

``fire`` loads a record inside the user's jurisdiction, checks the user's
role and the record's version, runs the step's guards, moves the record
through its ``transitions`` machine, writes an audit event and commits, all
in one transaction. Any refusal leaves the database untouched.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from workflow import claims, clock
from workflow.errors import (
    DomainValidationError,
    InvalidTransition,
    NotPermitted,
    StaleDecision,
)
from workflow.extensions import db
from workflow.jurisdiction import is_owner, is_parent, load_visible
from workflow.models.audit import AuditEvent
from workflow.states.base import PARENT

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    """What a step's guards and effects may read about the current action.

    ``params`` contains the step's own inputs beyond the comment, such as a
    deadline, keyed by name.
    """

    actor: object
    now: datetime
    today: date
    comment: str | None
    params: Mapping = field(default_factory=dict)


def workflow_for(model):
    """Return the workflow a model declares in its ``__workflow__`` attribute."""
    try:
        return model.__workflow__
    except AttributeError:
        raise LookupError(
            f"{model.__name__} declares no __workflow__; set it to the "
            "Workflow from its module in workflow/states/."
        ) from None


def workflow_models():
    """Return every model that declares a workflow, ordered by table name."""
    models = [
        mapper.class_
        for mapper in db.Model.registry.mappers
        if hasattr(mapper.class_, "__workflow__")
    ]
    return sorted(models, key=lambda model: model.__tablename__)


def available_steps(user, record):
    """Return the steps ``user`` may take on ``record`` now."""
    workflow = workflow_for(type(record))
    return [
        step
        for step in workflow.steps_from(record.state)
        if _is_acting_department(user, record, step) and user.has_role(*step.roles)
    ]


def fire(
    model,
    record_id,
    trigger,
    actor,
    *,
    expected_version=None,
    comment=None,
    params=None,
):
    """Take step ``trigger`` on a record as ``actor`` and commit.

    Raises ``RecordNotFound`` outside the actor's jurisdiction,
    ``NotPermitted`` for the wrong department or role, ``StaleDecision``
    when ``expected_version`` is out of date, ``InvalidTransition`` when
    the state or a guard forbids the step, and ``DomainValidationError``
    when a required reason is missing. Returns the updated record.
    """
    try:
        record = take_step(
            model,
            record_id,
            trigger,
            actor,
            expected_version=expected_version,
            comment=comment,
            params=params,
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise stale_decision(model, record_id) from None
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "%s %s: %s by user %s", model.__tablename__, record_id, trigger, actor.id
    )
    return record


def take_step(
    model,
    record_id,
    trigger,
    actor,
    *,
    expected_version=None,
    comment=None,
    params=None,
):
    """Do what ``fire`` does but leave the transaction open for the caller.

    Used when a step belongs to a larger change, such as creating a record
    and nominating it at once. The caller commits or rolls back.
    """
    workflow = workflow_for(model)
    record = load_visible(actor, model, record_id, for_update=True)
    step = workflow.step(trigger)
    if step is None:
        raise InvalidTransition(f"{model.__name__} has no step {trigger!r}")
    _check_permission(actor, record, step)
    claims.check_claim(actor, record)
    if expected_version is not None and record.version != expected_version:
        raise stale_decision(model, record_id)
    if record.state not in step.sources:
        raise InvalidTransition(
            f"{model.__name__} {record_id} is {record.state.value}; "
            f"{trigger} needs one of {[s.value for s in step.sources]}"
        )

    comment = (comment or "").strip() or None
    if step.needs_reason and comment is None:
        raise DomainValidationError(
            "comment", f"{trigger} needs a reason", _l("请填写理由。")
        )
    now = clock.now()
    context = Context(
        actor=actor,
        now=now,
        today=now.date(),
        comment=comment,
        params=params or {},
    )
    _check_guards(record, step, context)

    from_state = record.state
    if not workflow.fire(record, trigger, context):
        raise InvalidTransition(f"machine refused {trigger} on {record_id}")
    record.state_changed_at = now
    claims.after_step(record, step, actor)
    record_event(record, actor, trigger, from_state, now, comment)
    db.session.flush()
    return record


def record_event(record, actor, action, from_state, now, comment=None):
    """Add an audit event of ``action`` on ``record`` to the session.

    ``from_state`` is None for a record just created. Does not commit.
    """
    db.session.add(
        AuditEvent(
            record_type=type(record).__tablename__,
            record_id=record.id,
            action=action,
            from_state=from_state.value if from_state else None,
            to_state=record.state.value,
            comment=comment,
            actor_id=actor.id,
            department_id=actor.department_id,
            created_at=now,
        )
    )


def _is_acting_department(user, record, step):
    if step.acting_department == PARENT:
        return is_parent(user, record)
    return is_owner(user, record)


def _check_permission(actor, record, step):
    if step.acting_department == PARENT and not is_parent(actor, record):
        raise NotPermitted(
            f"user {actor.id} of department {actor.department_id} is not in the "
            f"parent of department {record.department_id} for {step.trigger}",
            _l("只有上一级农业农村部门可以办理此操作。"),
        )
    if step.acting_department != PARENT and not is_owner(actor, record):
        raise NotPermitted(
            f"user {actor.id} of department {actor.department_id} does not own "
            f"record {record.id} of department {record.department_id}",
            _l("只有聘任部门可以处理该记录，上级部门仅可查看。"),
        )
    if not actor.has_role(*step.roles):
        raise NotPermitted(
            f"user {actor.id} lacks roles {sorted(r.value for r in step.roles)} "
            f"for {step.trigger}"
        )


def blocking_reason(user, record, step):
    """Return the message of the first guard that stops ``step`` now, or None.

    Lets a page show a step as unavailable, with the reason, before the
    user tries it.
    """
    now = clock.now()
    context = Context(actor=user, now=now, today=now.date(), comment=None)
    for guard in step.guards:
        message = guard(record, context)
        if message is not None:
            return message
    return None


def _check_guards(record, step, context):
    for guard in step.guards:
        message = guard(record, context)
        if message is not None:
            raise InvalidTransition(
                f"guard {guard.__name__} refused {step.trigger} on {record.id}",
                message,
            )


def stale_decision(model, record_id):
    """Return the error for a decision made on an out-of-date record."""
    last = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == model.__tablename__,
            AuditEvent.record_id == record_id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    who = last.actor.display_name if last else "?"
    when = last.created_at.strftime("%Y-%m-%d %H:%M") if last else "?"
    return StaleDecision(
        f"{model.__name__} {record_id} changed since it was loaded",
        _l(
            "该记录已由 %(who)s 于 %(when)s 处理，请刷新后查看最新状态。",
            who=who,
            when=when,
        ),
    )
