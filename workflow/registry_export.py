"""Export of the registry list to the import template's workbook.

The export contains the records the user may see (their department and every one
below it) narrowed by the filters of the registry page, in the same
columns as the template, so a department can edit its export and upload
it again. Records are read in chunks and rows streamed to the file.
"""

import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workflow import personal_data, security_log
from workflow.errors import NotPermitted
from workflow.extensions import db
from workflow.models.department import Department
from workflow.queue import registry_query
from workflow.registry_template import RegistryWorkbook

logger = logging.getLogger(__name__)

CHUNK_ROWS = 1000


def export_workbook(user, filters, purpose, target, *, address=None):
    """Write ``user``'s export workbook to ``target``, log its purpose; commit.

    The workbook contains full ID numbers and mobiles, because the import
    matches people by ID number, so only roles that may see them get it.
    """
    if not personal_data.can_see_full(user):
        raise NotPermitted(
            f"user {user.id} may not export full personal data",
            _l("您的角色只能导出脱敏的 CSV 文件。"),
        )
    written = export_registry(user, filters, target)
    security_log.record_event(
        security_log.EXPORT,
        user,
        detail=f"{purpose}（{written} 条，完整，导入模板）",
        address=address,
    )
    db.session.commit()
    return written


def export_registry(user, filters, target):
    """Write the records ``user`` may see under ``filters`` to ``target``.

    Returns the number of records written.
    """
    query = registry_query(user, filters)
    total = db.session.scalar(
        select(func.count()).select_from(query.order_by(None).subquery())
    )
    area_names = dict(
        db.session.execute(select(Department.code, Department.division_name)).all()
    )
    workbook = RegistryWorkbook(expected_rows=total)
    written = 0
    for record in db.session.scalars(query.execution_options(yield_per=CHUNK_ROWS)):
        workbook.append(export_values(record, area_names))
        written += 1
    workbook.save(target)
    logger.info("registry export by user %s: %d records", user.id, written)
    return written


def export_values(record, area_names):
    """Return one record's cells keyed by template column."""
    values = {
        "name": record.name,
        "gender": record.gender,
        "id_number": record.id_number,
        "birth_date": record.birth_date,
        "ethnicity": record.ethnicity,
        "political_status": record.political_status,
        "education": record.education,
        "professional_title": record.professional_title,
        "employer": record.employer,
        "position": record.position,
        "mobile": record.mobile,
        "email": record.email,
        "source": record.source,
        "work_areas": "、".join(record.work_areas),
        "industries": "、".join(record.industries),
        "working_mode": record.working_mode,
        "entry_mode": record.entry_mode,
        "tier": str(record.tier_label),
        "department": record.department.name,
        "service_area_codes": "、".join(
            f"{area_names.get(code, '')}（{code}）"
            for code in record.service_area_codes
        ),
        "served_cooperatives": record.served_cooperatives,
        "served_family_farms": record.served_family_farms,
        "served_others": record.served_others,
    }
    if record.certificate_number:
        values.update(
            appointed_on=record.appointed_on,
            term_starts_on=record.term_starts_on,
            term_ends_on=record.term_ends_on,
            certificate_number=record.certificate_number,
        )
    return values
