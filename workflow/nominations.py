"""Creating and revising counselor nominations.

A nomination is a new counselor record in its appointing department. It
starts as a draft, or is submitted at once, in which case the ``nominate``
step runs in the same transaction as the insert.
"""

import logging

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from workflow import clock, engine
from workflow.counselor_rules import check_identity, check_mobile, check_name
from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.counselor import Counselor
from workflow.models.strike_off import StrikeOff
from workflow.roles import Role
from workflow.states.counselor import ACTIVE_STATES, CounselorState
from workflow.terms import add_years

logger = logging.getLogger(__name__)

# Audit actions written here rather than by a workflow step.
ACTION_LABELS = {"create": _l("创建草稿"), "edit": _l("修改信息")}

EDITABLE_STATES = (CounselorState.DRAFT, CounselorState.RETURNED)

FIELDS = (
    "name", "gender", "id_number", "ethnicity", "political_status",
    "education", "professional_title", "employer", "position", "mobile",
    "email", "source", "work_areas", "industries", "working_mode",
    "entry_mode", "service_area_codes", "served_cooperatives",
    "served_family_farms", "served_others",
)  # fmt: skip


def create_nomination(actor, values, submit):
    """Insert a counselor record for ``actor``'s department and commit.

    ``values`` maps the names in ``FIELDS`` to cleaned form values. With
    ``submit`` the record is nominated at once; otherwise it stays a draft.
    """
    check_may_nominate(actor)
    facts = _validate(values, record_id=None)
    now = clock.now()
    record = Counselor(
        department_id=actor.department_id,
        created_by_id=actor.id,
        created_at=now,
        state_changed_at=now,
        birth_date=facts.birth_date,
        notice_working_days=current_app.config["PUBLIC_NOTICE_WORKING_DAYS"],
        term_years=current_app.config["TERM_YEARS"],
        **{field: values.get(field) for field in FIELDS},
    )
    try:
        db.session.add(record)
        db.session.flush()
        if submit:
            engine.take_step(Counselor, record.id, "nominate", actor)
        else:
            engine.record_event(record, actor, "create", None, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    logger.info(
        "counselor %s created by user %s (submit=%s)", record.id, actor.id, submit
    )
    return record


def update_nomination(actor, record_id, values, expected_version):
    """Save edits to a draft or returned record and commit."""
    record = load_visible(actor, Counselor, record_id, for_update=True)
    check_may_edit(actor, record)
    if record.state not in EDITABLE_STATES:
        raise DomainValidationError(
            "state",
            f"counselor {record_id} is {record.state.value}, not editable",
            _l("只有草稿或退回修改的记录可以编辑。"),
        )
    if record.version != expected_version:
        raise engine.stale_decision(Counselor, record_id)
    facts = _validate(values, record_id=record.id)
    try:
        for field in FIELDS:
            setattr(record, field, values.get(field))
        record.birth_date = facts.birth_date
        engine.record_event(record, actor, "edit", record.state, clock.now())
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise engine.stale_decision(Counselor, record_id) from None
    except Exception:
        db.session.rollback()
        raise
    return record


def check_may_nominate(actor):
    """Raise ``NotPermitted`` unless ``actor`` may enter nominations."""
    if not actor.has_role(Role.REGISTRY_ADMIN):
        raise NotPermitted(
            f"user {actor.id} is not a registry administrator",
            _l("只有名录库管理员可以录入推荐。"),
        )
    if not actor.department.can_appoint:
        raise NotPermitted(
            f"department {actor.department.code} is below county level",
            _l("乡镇推荐的辅导员由所属县级农业农村部门录入。"),
        )


def check_may_edit(actor, record):
    """Raise ``NotPermitted`` unless ``actor`` may edit ``record``'s fields.

    Only registry administrators of the appointing department may; its
    ancestors read the record but do not change it.
    """
    check_may_nominate(actor)
    if not is_owner(actor, record):
        raise NotPermitted(
            f"user {actor.id} does not own counselor {record.id}",
            _l("只有聘任部门可以处理该记录，上级部门仅可查看。"),
        )


def _validate(values, record_id):
    check_name(values.get("name"))
    facts = check_identity(
        values["id_number"], values.get("gender"), clock.now().date()
    )
    check_mobile(values.get("mobile"))
    _check_cooling_off(values["id_number"])
    holder = _active_holder(values["id_number"], record_id)
    if holder is not None:
        raise DomainValidationError(
            "id_number",
            f"ID number already held by counselor {holder.id}",
            _l(
                "该身份证号码已在%(department)s的名录或推荐流程中，同一人只能有一条有效记录。",
                department=holder.department.name,
            ),
        )
    return facts


def _check_cooling_off(id_number):
    # A person struck off for a conduct breach may not be nominated again,
    # anywhere, until the cooling-off period has passed.
    years = current_app.config["STRIKE_OFF_COOLING_OFF_YEARS"]
    strike_off = db.session.scalars(
        select(StrikeOff)
        .where(StrikeOff.id_number == id_number, StrikeOff.lifted_on.is_(None))
        .order_by(StrikeOff.struck_off_on.desc())
        .limit(1)
    ).first()
    if strike_off is None:
        return
    until = add_years(strike_off.struck_off_on, years)
    if clock.now().date() < until:
        raise DomainValidationError(
            "id_number",
            f"ID number struck off on {strike_off.struck_off_on}, cooling off",
            _l(
                "该人员于 %(date)s 被除名，%(until)s 前不得再次推荐。",
                date=strike_off.struck_off_on,
                until=until,
            ),
        )


def _active_holder(id_number, record_id):
    query = select(Counselor).where(
        Counselor.id_number == id_number, Counselor.state.in_(ACTIVE_STATES)
    )
    if record_id is not None:
        query = query.where(Counselor.id != record_id)
    return db.session.scalars(query.limit(1)).first()
