"""Export of the registry list to CSV, with a stated purpose on record.

The file contains the rows of the user's jurisdiction that match the list's
filters. ID numbers and mobiles are masked unless the user's role needs
them. Every export is written to the security log with its purpose, the
filters and the row count before the file is sent.
"""

import csv
import io
import logging

from sqlalchemy.orm import selectinload

from workflow import personal_data, security_log
from workflow.extensions import db
from workflow.models.counselor import Counselor
from workflow.queue import registry_query

logger = logging.getLogger(__name__)

# Chinese headers, as on the registry's paper forms.
COLUMNS = (
    ("姓名", lambda r: r.name),
    ("性别", lambda r: r.gender),
    ("身份证号", None),
    ("手机号码", None),
    ("聘任部门", lambda r: r.department.name),
    ("聘任层级", lambda r: str(r.tier_label)),
    ("辅导员类型", lambda r: "、".join(r.work_areas)),
    ("产业领域", lambda r: "、".join(r.industries)),
    ("工作模式", lambda r: r.working_mode),
    ("状态", lambda r: str(r.state.label)),
    ("证书编号", lambda r: r.certificate_number or ""),
    ("聘期至", lambda r: r.term_ends_on.isoformat() if r.term_ends_on else ""),
)
# A spreadsheet runs a cell starting with these as a formula; a leading
# apostrophe makes Excel and WPS show it as text instead.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_registry(user, filters, purpose, *, address=None):
    """Return the CSV text of the registry rows ``user`` may see; log it; commit.

    The text starts with a byte-order mark so that Excel reads it as UTF-8.
    """
    full = personal_data.can_see_full(user)
    records = db.session.scalars(
        registry_query(user, filters).options(selectinload(Counselor.department))
    ).all()
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([header for header, _ in COLUMNS])
    for record in records:
        writer.writerow(_row(record, full))
    security_log.record_event(
        security_log.EXPORT,
        user,
        detail=f"{purpose}（{len(records)} 条，{'完整' if full else '脱敏'}）",
        address=address,
    )
    db.session.commit()
    logger.info(
        "user %s exported %s registry rows (full=%s)", user.id, len(records), full
    )
    return "\ufeff" + output.getvalue()


def _row(record, full):
    values = []
    for header, read in COLUMNS:
        if header == "身份证号":
            value = (
                record.id_number
                if full
                else personal_data.mask_id_number(record.id_number)
            )
        elif header == "手机号码":
            value = record.mobile if full else personal_data.mask_mobile(record.mobile)
        else:
            value = read(record)
        values.append(_cell(value))
    return values
