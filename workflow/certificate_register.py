"""Appointment certificates: their status, lookup by number, and listing.

A certificate is issued with each term (appointment, renewal,
reinstatement) and keeps its number forever in ``counselor_term``. The
current one is *valid* during the term, *expired* after the term's last
day, and *revoked* once the record has left the appointed state while
keeping its number (a strike-off ends the appointment early). A
certificate of an earlier term is expired, because the next term's
certificate replaced it, or revoked when a strike-off ended its term.
"""

import re
from dataclasses import dataclass

from sqlalchemy import select

from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.models.term import CertificateStatus, CounselorTerm
from workflow.states.counselor import CounselorState

# Issuer's six-digit division code, year, and a serial of four or more
# digits; see workflow/certificates.py.
# A certificate attests the appointment while the counselor serves; leaving
# at term end or by withdrawal ends it, and a strike-off revokes it.
IN_FORCE_STATES = (CounselorState.APPOINTED, CounselorState.TERM_ENDING)
ENDED_STATES = (CounselorState.TRANSFERRED_OUT, CounselorState.WITHDRAWN)
NUMBER_PATTERN = re.compile(r"^[0-9]{6}-[0-9]{4}-[0-9]{4,6}$")


def status_of(record, today):
    """Return the status on ``today`` of the current certificate of ``record``."""
    if record.state in IN_FORCE_STATES:
        if record.term_ends_on is not None and today > record.term_ends_on:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID
    if record.state in ENDED_STATES:
        return CertificateStatus.EXPIRED
    return CertificateStatus.REVOKED


def normalize_number(text):
    """Return ``text`` stripped of spaces, or None when it cannot be a number."""
    number = (text or "").strip()
    return number if NUMBER_PATTERN.match(number) else None


@dataclass(frozen=True)
class Certificate:
    """One certificate ever issued, with its status on the day it was looked up."""

    number: str
    status: CertificateStatus
    holder: Counselor


def find_certificate(text, today):
    """Return the certificate numbered ``text`` with its status on ``today``.

    Returns None for a malformed number and for one never issued.
    """
    number = normalize_number(text)
    if number is None:
        return None
    term = db.session.scalar(
        select(CounselorTerm).where(CounselorTerm.certificate_number == number)
    )
    if term is not None:
        return Certificate(number, _term_status(term, today), term.counselor)
    # A record whose appointment predates the term table carries its number
    # on the record alone.
    record = db.session.scalar(
        select(Counselor).where(Counselor.certificate_number == number)
    )
    if record is None:
        return None
    return Certificate(number, status_of(record, today), record)


def _term_status(term, today):
    if term.certificate_number == term.counselor.certificate_number:
        return status_of(term.counselor, today)
    if term.certificate_status is CertificateStatus.REVOKED:
        return CertificateStatus.REVOKED
    return CertificateStatus.EXPIRED


def issued_between(department, first_day, last_day):
    """Return the records ``department`` appointed from ``first_day`` to ``last_day``.

    Both days are included; the records come in certificate number order.
    """
    return db.session.scalars(
        select(Counselor)
        .where(
            Counselor.department_id == department.id,
            Counselor.certificate_number.is_not(None),
            Counselor.appointed_on.between(first_day, last_day),
        )
        .order_by(Counselor.certificate_number)
    ).all()
