"""Rules shared by service records and training records.

A counselor's records may be entered by the counselor's own self-service
account or by a registry administrator of the appointing department. Only
the author may change a record, and only while the department's evaluation
of that year is not yet confirmed. A record's date must not be in the
future and must fall inside one of the counselor's terms.
"""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from workflow.errors import DomainValidationError, NotPermitted
from workflow.extensions import db
from workflow.models.evaluation import EvaluationRound
from workflow.roles import Role
from workflow.states.evaluation import CLOSED_STATES
from workflow.terms import terms_of


def check_may_enter(actor, counselor):
    """Raise ``NotPermitted`` unless ``actor`` may add records for ``counselor``."""
    if actor.counselor_id == counselor.id and actor.has_role(Role.COUNSELOR):
        return
    if actor.department_id == counselor.department_id and actor.has_role(
        Role.REGISTRY_ADMIN
    ):
        return
    raise NotPermitted(
        f"user {actor.id} may not enter records for counselor {counselor.id}",
        _l("只有辅导员本人或聘任部门的名录库管理员可以录入。"),
    )


def check_may_edit(actor, row):
    """Raise ``NotPermitted`` unless ``actor`` wrote ``row``."""
    if row.author_id != actor.id:
        raise NotPermitted(
            f"user {actor.id} is not the author of {row!r}",
            _l("只有录入人本人可以修改该记录。"),
        )


def check_day(counselor, day, today, field):
    """Raise unless ``day`` is not in the future and inside a term."""
    if day > today:
        raise DomainValidationError(
            field, f"{day} is in the future", _l("日期不能晚于今天。")
        )
    terms = terms_of(counselor.id)
    if not any(term.covers(day) for term in terms):
        raise DomainValidationError(
            field,
            f"{day} is outside every term of counselor {counselor.id}",
            _out_of_term_message(terms),
        )


def _out_of_term_message(terms):
    if not terms:
        return _l("该辅导员尚未聘任，不能录入。")
    latest = terms[-1]
    return _l(
        "日期应在辅导员的聘期内（本聘期为 %(start)s 至 %(end)s）。",
        start=latest.starts_on,
        end=latest.last_day,
    )


def check_year_open(department_id, year):
    """Raise unless the department's evaluation of ``year`` is still open."""
    if is_year_closed(department_id, year):
        raise DomainValidationError(
            "year",
            f"evaluation {year} of department {department_id} is closed",
            _l("%(year)s年度评价已确认，该年度的记录不能再新增或修改。", year=year),
        )


def is_year_closed(department_id, year):
    """Return whether the department's evaluation of ``year`` is confirmed."""
    state = db.session.scalar(
        select(EvaluationRound.state).where(
            EvaluationRound.department_id == department_id,
            EvaluationRound.year == year,
        )
    )
    return state in CLOSED_STATES
