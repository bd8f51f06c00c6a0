"""Opening an evaluation round and reading its board.

A department opens one round per year, with a deadline to finish it by
(see evaluation_deadlines.py). Its participants are fixed when it opens:
every counselor of the department who serves now and whose term overlaps
the year. The indicator weights and grade cut-offs in force are
copied onto the round.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from workflow import clock
from workflow.errors import DomainValidationError, NotPermitted
from workflow.evaluation_deadlines import check_deadline
from workflow.extensions import db
from workflow.models.audit import AuditEvent
from workflow.models.counselor import Counselor
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.models.term import CounselorTerm
from workflow.roles import Role
from workflow.states.counselor import SERVING_STATES
from workflow.states.evaluation import EvaluationRoundState

logger = logging.getLogger(__name__)

FIRST_YEAR = 2020


def open_round(actor, year, deadline):
    """Open the department's round for ``year`` and commit; return it.

    ``deadline`` is the last day to finish the evaluation; it must fall
    after today. Raises ``NotPermitted`` or ``DomainValidationError``.
    """
    _check_may_open(actor)
    _check_year(year)
    now = clock.now()
    check_deadline(deadline, now.date(), now.date())
    _check_no_round(actor.department_id, year)
    terms = _participant_terms(actor.department_id, year)
    if not terms:
        raise DomainValidationError(
            "year",
            f"department {actor.department_id} has no counselor serving in {year}",
            _l("本部门在%(year)s年度没有在聘辅导员，无需评价。", year=year),
        )
    round_ = EvaluationRound(
        department_id=actor.department_id,
        year=year,
        deadline=deadline,
        weights=[list(pair) for pair in current_app.config["EVALUATION_WEIGHTS"]],
        grade_cutoffs=[list(pair) for pair in current_app.config["EVALUATION_GRADES"]],
        created_by_id=actor.id,
        created_at=now,
        state_changed_at=now,
    )
    try:
        db.session.add(round_)
        db.session.flush()
        for counselor_id, term_id in sorted(terms.items()):
            db.session.add(
                EvaluationEntry(
                    round_id=round_.id, counselor_id=counselor_id, term_id=term_id
                )
            )
        db.session.add(_audit(round_, actor, "open", None, now))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _duplicate(year) from None
    logger.info(
        "evaluation round %s opened for department %s, year %s, %s counselors, "
        "deadline %s",
        round_.id,
        actor.department_id,
        year,
        len(terms),
        deadline,
    )
    return round_


def _check_may_open(actor):
    if not actor.has_role(Role.REVIEWER, Role.LEADER):
        raise NotPermitted(
            f"user {actor.id} may not open evaluation rounds",
            _l("只有审核人员或部门负责人可以发起年度评价。"),
        )
    if not actor.department.can_appoint:
        raise NotPermitted(
            f"department {actor.department_id} does not appoint counselors",
            _l("只有县级及以上农业农村部门评价其聘任的辅导员。"),
        )


def _check_year(year):
    this_year = clock.now().year
    if year is None or not FIRST_YEAR <= year <= this_year:
        raise DomainValidationError(
            "year",
            f"year {year!r} outside {FIRST_YEAR}-{this_year}",
            _l("评价年度应在%(first)s年至今年之间。", first=FIRST_YEAR),
        )


def _check_no_round(department_id, year):
    exists = db.session.scalar(
        select(EvaluationRound.id).where(
            EvaluationRound.department_id == department_id,
            EvaluationRound.year == year,
        )
    )
    if exists is not None:
        raise _duplicate(year)


def _duplicate(year):
    return DomainValidationError(
        "year",
        f"a round for {year} already exists",
        _l("本部门%(year)s年度的评价批次已存在，同一年度只能发起一次。", year=year),
    )


def _participant_terms(department_id, year):
    """Return ``{counselor_id: term_id}`` of the latest term overlapping ``year``."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = db.session.execute(
        select(CounselorTerm.counselor_id, CounselorTerm.id)
        .join(Counselor, CounselorTerm.counselor_id == Counselor.id)
        .where(
            Counselor.department_id == department_id,
            Counselor.state.in_(SERVING_STATES),
            CounselorTerm.starts_on <= last,
            CounselorTerm.ends_on >= first,
        )
        .order_by(CounselorTerm.number)
    )
    return {counselor_id: term_id for counselor_id, term_id in rows}


def _audit(round_, actor, action, from_state, now, comment=None):
    return AuditEvent(
        record_type=EvaluationRound.__tablename__,
        record_id=round_.id,
        action=action,
        from_state=from_state.value if from_state else None,
        to_state=round_.state.value,
        comment=comment,
        actor_id=actor.id,
        department_id=actor.department_id,
        created_at=now,
    )


@dataclass(frozen=True)
class Board:
    """Progress of a round: who is done, who is missing, grade distribution."""

    entries: list
    self_assessed: int
    scored: int
    grades: list

    @property
    def total(self):
        return len(self.entries)


def board(round_):
    """Return the board of ``round_``, entries ordered by counselor name."""
    entries = sorted(round_.entries, key=lambda entry: entry.counselor.name)
    counts = Counter(entry.grade for entry in entries if entry.grade)
    grades = [(grade, counts.get(grade, 0)) for grade, _cutoff in round_.grade_cutoffs]
    return Board(
        entries=entries,
        self_assessed=sum(1 for e in entries if e.self_assessed_at is not None),
        scored=sum(1 for e in entries if e.total is not None),
        grades=grades,
    )


def rounds_of(department_id):
    """Return the department's rounds, latest year first."""
    return db.session.scalars(
        select(EvaluationRound)
        .where(EvaluationRound.department_id == department_id)
        .order_by(EvaluationRound.year.desc())
    ).all()


def entries_of(counselor_id, published_only=False):
    """Return a counselor's evaluation entries, latest year first."""
    query = (
        select(EvaluationEntry)
        .join(EvaluationRound, EvaluationEntry.round_id == EvaluationRound.id)
        .where(EvaluationEntry.counselor_id == counselor_id)
    )
    if published_only:
        query = query.where(EvaluationRound.state == EvaluationRoundState.PUBLISHED)
    return db.session.scalars(query.order_by(EvaluationRound.year.desc())).all()
