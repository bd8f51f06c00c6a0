"""Counselors in office in a department's subtree, broken down by category.

Type (work area) and industry are multi-valued, so a counselor with two
types counts once under each, and those breakdowns can add up to more than
the number of counselors. Tier and working mode have one value each.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from workflow.extensions import db
from workflow.models.counselor import (
    Counselor,
    CounselorIndustry,
    CounselorWorkArea,
)
from workflow.models.department import Department, DepartmentLevel
from workflow.progress import in_office, in_subtree
from workflow.vocabulary import INDUSTRIES, WORK_AREAS, WORKING_MODES

# Tiers in which counselors can be appointed: county level and above.
TIERS = (
    DepartmentLevel.COUNTY,
    DepartmentLevel.PREFECTURE,
    DepartmentLevel.PROVINCE,
    DepartmentLevel.MINISTRY,
)


@dataclass(frozen=True)
class Breakdown:
    """Counts per category, in the vocabulary's order, zeros included."""

    key: str
    title: object
    rows: list
    multi_valued: bool = False

    @property
    def total(self):
        return sum(count for _label, count in self.rows)


def _in_office_within(department, today, column, *joins):
    # A counselor has at most one row per work area or industry (the
    # primary key), so a plain count never counts anyone twice per value.
    query = select(column, func.count(Counselor.id)).select_from(Counselor)
    for target, condition in joins:
        query = query.join(target, condition)
    query = query.join(Department, Counselor.department_id == Department.id).where(
        in_subtree(department, Counselor.department_id),
        in_office(today),
    )
    return dict(db.session.execute(query.group_by(column)).all())


def _ordered(counts, categories):
    rows = [(category, counts.pop(category, 0)) for category in categories]
    # Values no longer in the vocabulary still count, after the known ones.
    rows.extend(sorted(counts.items()))
    return rows


def by_work_area(department, today):
    """Count counselors in office per type (work area)."""
    counts = _in_office_within(
        department,
        today,
        CounselorWorkArea.work_area,
        (CounselorWorkArea, CounselorWorkArea.counselor_id == Counselor.id),
    )
    rows = _ordered(counts, WORK_AREAS)
    return Breakdown("work_area", _l("按辅导员类型"), rows, multi_valued=True)


def by_industry(department, today):
    """Count counselors in office per industry field."""
    counts = _in_office_within(
        department,
        today,
        CounselorIndustry.industry,
        (CounselorIndustry, CounselorIndustry.counselor_id == Counselor.id),
    )
    rows = _ordered(counts, INDUSTRIES)
    return Breakdown("industry", _l("按产业领域"), rows, multi_valued=True)


def by_working_mode(department, today):
    """Count counselors in office per working mode (full- or part-time)."""
    counts = _in_office_within(department, today, Counselor.working_mode)
    return Breakdown("working_mode", _l("按工作模式"), _ordered(counts, WORKING_MODES))


def by_tier(department, today):
    """Count counselors in office per tier, the appointing department's level."""
    counts = _in_office_within(department, today, Department.level)
    rows = [
        (str(level.tier_label), counts.get(level, 0))
        for level in TIERS
        if level.value >= department.level.value
    ]
    return Breakdown("tier", _l("按聘任层级"), rows)


def breakdowns(department, today):
    """Return every breakdown of counselors in office below ``department``."""
    return [
        by_work_area(department, today),
        by_tier(department, today),
        by_working_mode(department, today),
        by_industry(department, today),
    ]
