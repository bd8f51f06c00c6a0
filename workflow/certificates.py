"""Certificate numbers: issuer's division code, year and a yearly serial.

A number reads ``330102-2026-0007``: the seventh certificate issued in 2026
by the department of division 330102.
"""

import re

from workflow.extensions import db
from workflow.models.certificate import CertificateSerial
from workflow.serials import next_serial

_NUMBER = re.compile(r"^(\d{6})-(\d{4})-(\d{4,})$")


def format_certificate_number(department_code, year, serial):
    """Return the printed form of a certificate number."""
    return f"{department_code}-{year}-{serial:04d}"


def issue_certificate_number(department, today):
    """Reserve and return the next certificate number of ``department``.

    Runs inside the caller's transaction and does not commit.
    """
    serial = next_serial(CertificateSerial, department.id, today.year)
    return format_certificate_number(department.code, today.year, serial)


def reserve_imported_numbers(department, numbers):
    """Move ``department``'s counters past imported certificate numbers.

    Numbers of the form this module issues (``330102-2023-0007``) for the
    department advance that year's counter to their serial, so a later
    appointment never gets a number that an imported certificate already
    carries. Other numbers (older provincial schemes) are left alone.
    Runs inside the caller's transaction.
    """
    highest = {}
    for number in numbers:
        match = _NUMBER.match(number or "")
        if match and match.group(1) == department.code:
            year, serial = int(match.group(2)), int(match.group(3))
            highest[year] = max(serial, highest.get(year, 0))
    for year, serial in highest.items():
        counter = db.session.get(CertificateSerial, (department.id, year))
        if counter is None:
            db.session.add(
                CertificateSerial(
                    department_id=department.id, year=year, last_serial=serial
                )
            )
        elif counter.last_serial < serial:
            counter.last_serial = serial
    db.session.flush()
