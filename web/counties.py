"""County choices for the forms that name where an organisation is."""

from sqlalchemy import select
from sqlalchemy.orm import aliased

from workflow.extensions import db
from workflow.models.department import Department, DepartmentLevel


def county_choices():
    """Return every county department grouped by its parent's division name.

    The result suits a WTForms ``SelectField``: a dict of group name to
    ``(code, name)`` pairs, shown as option groups.
    """
    parent = aliased(Department)
    rows = db.session.execute(
        select(parent.division_name, Department.code, Department.division_name)
        .join(parent, Department.parent_id == parent.id)
        .where(Department.level == DepartmentLevel.COUNTY)
        .order_by(Department.code)
    )
    groups = {"": [("", "请选择")]}
    for group, code, name in rows:
        groups.setdefault(group, []).append((code, name))
    return groups
