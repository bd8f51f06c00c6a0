"""Certificate numbers: issuer's division code, year and a yearly serial.

A number reads ``330102-2026-0007``: the seventh certificate issued in 2026
by the department of division 330102.
"""

from workflow.models.certificate import CertificateSerial
from workflow.serials import next_serial


def format_certificate_number(department_code, year, serial):
    """Return the printed form of a certificate number."""
    return f"{department_code}-{year}-{serial:04d}"


def issue_certificate_number(department, today):
    """Reserve and return the next certificate number of ``department``.

    Runs inside the caller's transaction and does not commit.
    """
    serial = next_serial(CertificateSerial, department.id, today.year)
    return format_certificate_number(department.code, today.year, serial)
