"""Filing numbers of service centers: ``FW``, division code, year and serial.

A number reads ``FW-420525-2026-003``: the third service center filed in
2026 by the department of division 420525.
"""

from workflow.models.filing import FilingSerial
from workflow.serials import next_serial


def issue_filing_number(department, today):
    """Reserve and return the next filing number of ``department``.

    Runs inside the caller's transaction and does not commit.
    """
    serial = next_serial(FilingSerial, department.id, today.year)
    return f"FW-{department.code}-{today.year}-{serial:03d}"
