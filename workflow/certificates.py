"""Certificate numbers: issuer's division code, year and a yearly serial.

A number reads ``330102-2026-0007``: the seventh certificate issued in 2026
by the department of division 330102. Serials come from a counter row that
is incremented with a conditional UPDATE, so two workers issuing at once get
different numbers on every supported database.
"""

import re

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from workflow.extensions import db
from workflow.models.certificate import CertificateSerial

_NUMBER = re.compile(r"^(\d{6})-(\d{4})-(\d{4,})$")


def format_certificate_number(department_code, year, serial):
    """Return the printed form of a certificate number."""
    return f"{department_code}-{year}-{serial:04d}"


def issue_certificate_number(department, today):
    """Reserve and return the next certificate number of ``department``.

    Runs inside the caller's transaction and does not commit.
    """
    serial = _next_serial(department.id, today.year)
    return format_certificate_number(department.code, today.year, serial)


def _next_serial(department_id, year):
    for _attempt in range(3):
        if _increment(department_id, year):
            return _read(department_id, year)
        try:
            with db.session.begin_nested():
                db.session.add(
                    CertificateSerial(
                        department_id=department_id, year=year, last_serial=1
                    )
                )
            return 1
        except IntegrityError:
            # Another worker created this year's counter first; increment it.
            continue
    raise RuntimeError(
        f"Could not reserve a certificate serial for department {department_id} "
        f"in {year} after 3 attempts"
    )


def _increment(department_id, year):
    result = db.session.execute(
        update(CertificateSerial)
        .where(
            CertificateSerial.department_id == department_id,
            CertificateSerial.year == year,
        )
        .values(last_serial=CertificateSerial.last_serial + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _read(department_id, year):
    return db.session.scalar(
        select(CertificateSerial.last_serial).where(
            CertificateSerial.department_id == department_id,
            CertificateSerial.year == year,
        )
    )


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
