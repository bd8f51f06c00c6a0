"""Terms of appointment: opening, renewing, ending and reopening them.

These functions are the effects and guards of the counselor workflow's
appointment steps. They run inside the engine's transaction and never
commit. The counselor record mirrors its current term in
``term_starts_on``, ``term_ends_on`` and ``certificate_number`` so that
lists need no join.
"""

from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from workflow.certificates import issue_certificate_number
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.models.evaluation import EvaluationEntry, EvaluationRound
from workflow.models.strike_off import StrikeOff
from workflow.models.term import CertificateStatus, CounselorTerm
from workflow.models.user import User
from workflow.states.counselor import ACTIVE_STATES
from workflow.states.evaluation import CLOSED_STATES


def add_years(day: date, years: int) -> date:
    """Return the same calendar date ``years`` later; 29 February maps to 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_end(start: date, years: int) -> date:
    """Return the last day of a term of ``years`` starting on ``start``.

    A term of N years ends the day before the same date N years later.
    """
    return add_years(start, years) - timedelta(days=1)


def current_term(record):
    """Return the counselor's latest term, or None before appointment."""
    return db.session.scalars(
        select(CounselorTerm)
        .where(CounselorTerm.counselor_id == record.id)
        .order_by(CounselorTerm.number.desc())
        .limit(1)
    ).first()


def terms_of(counselor_id):
    """Return every term of a counselor, first first."""
    return db.session.scalars(
        select(CounselorTerm)
        .where(CounselorTerm.counselor_id == counselor_id)
        .order_by(CounselorTerm.number)
    ).all()


def open_first_term(record, today):
    """Open term 1 from ``today`` with a new certificate number."""
    _open_term(record, 1, today, term_end(today, record.term_years), today)


def open_imported_term(record, added_rows):
    """Open term 1 as printed on a certificate issued before the registry.

    The import has set the record's id, appointment date, term dates and
    certificate number. The term goes into ``added_rows`` for the engine to
    insert with the rest of the import, after the records.
    """
    added_rows.append(
        (
            CounselorTerm.__table__,
            {
                "counselor_id": record.id,
                "number": 1,
                "starts_on": record.term_starts_on,
                "ends_on": record.term_ends_on,
                "certificate_number": record.certificate_number,
                "certificate_status": CertificateStatus.VALID,
                "issued_on": record.appointed_on,
            },
        )
    )


def open_renewed_term(record, today):
    """Open the next full term after the current one, with a new certificate.

    The new term starts the day after the current one ends, or today when
    the renewal comes after that day. The old certificate expires at once,
    because the new one replaces it.
    """
    previous = current_term(record)
    previous.certificate_status = CertificateStatus.EXPIRED
    starts_on = max(today, previous.ends_on + timedelta(days=1))
    ends_on = term_end(starts_on, record.term_years)
    _open_term(record, previous.number + 1, starts_on, ends_on, today)


def reopen_term(record, today):
    """Reinstate: a new certificate for what remains of the ended term."""
    previous = current_term(record)
    _open_term(record, previous.number + 1, today, previous.ends_on, today)
    db.session.execute(
        update(StrikeOff)
        .where(StrikeOff.counselor_id == record.id, StrikeOff.lifted_on.is_(None))
        .values(lifted_on=today)
    )
    record.left_on = None
    _set_accounts_enabled(record, True)


def _open_term(record, number, starts_on, ends_on, today):
    certificate_number = issue_certificate_number(record.department, today)
    db.session.add(
        CounselorTerm(
            counselor_id=record.id,
            number=number,
            starts_on=starts_on,
            ends_on=ends_on,
            certificate_number=certificate_number,
            issued_on=today,
        )
    )
    record.term_starts_on = starts_on
    record.term_ends_on = ends_on
    record.certificate_number = certificate_number


def end_current_term(record, today, status=CertificateStatus.EXPIRED):
    """End the current term today (or at its planned end if that is sooner)."""
    term = current_term(record)
    if today < term.ends_on:
        term.ended_on = max(today, term.starts_on)
    term.certificate_status = status
    record.left_on = today
    _set_accounts_enabled(record, False)


def _set_accounts_enabled(record, enabled):
    # A counselor's self-service account works only while they serve.
    if record.account_user_id is not None:
        db.session.execute(
            update(User)
            .where(User.id == record.account_user_id)
            .values(is_enabled=enabled)
        )


def term_end_is_near(record, today):
    """Return why the term cannot be marked as ending yet, or None."""
    days = current_app.config["TERM_ENDING_NOTICE_DAYS"]
    if record.term_ends_on is not None and record.term_ends_on - today <= timedelta(
        days=days
    ):
        return None
    return _l(
        "聘期至 %(date)s 结束，距结束超过 %(days)s 天，暂不能办理续聘。",
        date=record.term_ends_on,
        days=days,
    )


def failing_grade_in_current_term(record):
    """Return the failing grade of a closed evaluation in the current term."""
    term = current_term(record)
    if term is None:
        return None
    return db.session.scalar(
        select(EvaluationEntry.grade)
        .join(EvaluationRound, EvaluationEntry.round_id == EvaluationRound.id)
        .where(
            EvaluationEntry.counselor_id == record.id,
            EvaluationEntry.term_id == term.id,
            EvaluationEntry.failed.is_(True),
            EvaluationRound.state.in_(CLOSED_STATES),
        )
        .limit(1)
    )


def reinstatement_refusal(record, today):
    """Return why the counselor cannot be reinstated today, or None."""
    term = current_term(record)
    if term is None or term.ends_on < today:
        return _l("原聘期已结束，不能恢复聘任；如需继续聘用请重新推荐。")
    other = db.session.scalars(
        select(Counselor)
        .where(
            Counselor.id_number == record.id_number,
            Counselor.id != record.id,
            Counselor.state.in_(ACTIVE_STATES),
        )
        .limit(1)
    ).first()
    if other is not None:
        return _l(
            "该人员已在%(department)s的名录或推荐流程中，同一人只能有一项有效聘任。",
            department=other.department.name,
        )
    return None
