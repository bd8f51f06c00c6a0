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
from workflow.counselor_rules import record_errors
from workflow.divisions import division_codes_within
from workflow.errors import ConcurrentWrite, DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.jurisdiction import is_owner, load_visible
from workflow.models.counselor import Counselor
from workflow.models.strike_off import StrikeOff
from workflow.roles import Role
from workflow.states.counselor import ACTIVE_STATES, CounselorState
from workflow.terms import add_years

logger = logging.getLogger(__name__)

# Audit actions written here rather than by a workflow step.
ACTION_LABELS = {
    "create": _l("创建草稿"),
    "edit": _l("修改信息"),
    "import_update": _l("批量导入更新信息"),
}
# Rows per IN (...) lookup; well below SQLite's limit of bound parameters.
LOOKUP_CHUNK = 900

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
    actor_id = actor.id
    try:
        return _create_nomination(actor, values, submit)
    except ConcurrentWrite as error:
        # On MariaDB two nominations of one person at once mostly end in a
        # deadlock, because the engine's row lock also takes the department
        # row. Checked again, the loser finds the winner's record, and its
        # message names the department that owns that record.
        logger.info("nomination by user %s retried: %s", actor_id, error)
        return _create_nomination(actor, values, submit)


def _create_nomination(actor, values, submit):
    check_may_nominate(actor)
    facts = _validate(actor, values, record_id=None)
    now = clock.now()
    record = new_counselor(actor, values, facts, now)
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
    facts = _validate(actor, values, record_id=record.id)
    try:
        apply_values(record, values, facts)
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


def new_counselor(actor, values, facts, now):
    """Return an unsaved draft record of ``actor``'s department."""
    record = Counselor(
        department=actor.department,
        department_id=actor.department_id,
        created_by_id=actor.id,
        created_at=now,
        state=CounselorState.DRAFT,
        state_changed_at=now,
        notice_working_days=current_app.config["PUBLIC_NOTICE_WORKING_DAYS"],
        term_years=current_app.config["TERM_YEARS"],
    )
    apply_values(record, values, facts)
    return record


def apply_values(record, values, facts):
    """Copy the registry fields in ``values`` onto ``record``."""
    for field in FIELDS:
        setattr(record, field, values.get(field))
    record.birth_date = facts.birth_date


def _validate(actor, values, record_id):
    facts, errors = record_errors(
        values, clock.now().date(), division_codes_within(actor.department)
    )
    if errors:
        raise errors[0]
    _check_cooling_off(values["id_number"])
    holder = active_holders([values["id_number"]], exclude_id=record_id).get(
        values["id_number"]
    )
    if holder is not None:
        raise held_elsewhere_error(holder)
    return facts


def held_elsewhere_error(holder):
    """Return the error for an ID number another record already holds.

    The message names only the holding department, never the record.
    """
    return DomainValidationError(
        "id_number",
        f"ID number already held by counselor {holder.id}",
        _l(
            "该身份证号码已在%(department)s的名录或推荐流程中，同一人只能有一条有效记录。",
            department=holder.department.name,
        ),
    )


def active_holders(id_numbers, exclude_id=None):
    """Return the active record of each of ``id_numbers`` that has one.

    A person may hold one record in any state but rejected across the whole
    registry. Looks the numbers up in chunks, so a spreadsheet's worth of
    numbers stays within the databases' limits on bound parameters.
    """
    holders = {}
    numbers = list(dict.fromkeys(id_numbers))
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        query = select(Counselor).where(
            Counselor.id_number.in_(numbers[start : start + LOOKUP_CHUNK]),
            Counselor.state.in_(ACTIVE_STATES),
        )
        if exclude_id is not None:
            query = query.where(Counselor.id != exclude_id)
        for record in db.session.scalars(query):
            holders.setdefault(record.id_number, record)
    return holders


def _check_cooling_off(id_number):
    error = cooling_off_errors([id_number]).get(id_number)
    if error is not None:
        raise error


def cooling_off_errors(id_numbers):
    """Return the error of each of ``id_numbers`` still cooling off.

    A person struck off for a conduct breach may not be nominated again,
    anywhere, until the cooling-off period has passed, unless the
    strike-off was lifted. Looks the numbers up in chunks.
    """
    years = current_app.config["STRIKE_OFF_COOLING_OFF_YEARS"]
    today = clock.now().date()
    latest = {}
    numbers = list(dict.fromkeys(id_numbers))
    for start in range(0, len(numbers), LOOKUP_CHUNK):
        query = select(StrikeOff).where(
            StrikeOff.id_number.in_(numbers[start : start + LOOKUP_CHUNK]),
            StrikeOff.lifted_on.is_(None),
        )
        for strike_off in db.session.scalars(query):
            known = latest.get(strike_off.id_number)
            if known is None or known.struck_off_on < strike_off.struck_off_on:
                latest[strike_off.id_number] = strike_off
    errors = {}
    for id_number, strike_off in latest.items():
        until = add_years(strike_off.struck_off_on, years)
        if today < until:
            errors[id_number] = DomainValidationError(
                "id_number",
                f"ID number struck off on {strike_off.struck_off_on}, cooling off",
                _l(
                    "该人员于 %(date)s 被除名，%(until)s 前不得再次推荐。",
                    date=strike_off.struck_off_on,
                    until=until,
                ),
            )
    return errors
