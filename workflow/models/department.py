"""Agriculture and rural affairs departments, one per administrative division."""

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class DepartmentLevel(enum.Enum):
    """Level of a department in the administrative tree, top first."""

    MINISTRY = 0
    PROVINCE = 1
    PREFECTURE = 2
    COUNTY = 3
    TOWNSHIP = 4

    @property
    def label(self):
        return LEVEL_LABELS[self]

    @property
    def tier_label(self):
        """Return the counselor tier named after this level (县级, 市级, …)."""
        return TIER_LABELS[self]


LEVEL_LABELS = {
    DepartmentLevel.MINISTRY: _l("部"),
    DepartmentLevel.PROVINCE: _l("省"),
    DepartmentLevel.PREFECTURE: _l("市"),
    DepartmentLevel.COUNTY: _l("县"),
    DepartmentLevel.TOWNSHIP: _l("乡镇"),
}

TIER_LABELS = {
    DepartmentLevel.MINISTRY: _l("部级"),
    DepartmentLevel.PROVINCE: _l("省级"),
    DepartmentLevel.PREFECTURE: _l("市级"),
    DepartmentLevel.COUNTY: _l("县级"),
    DepartmentLevel.TOWNSHIP: _l("乡镇级"),
}


class Department(db.Model):
    """A department that nominates, appoints and manages counselors.

    ``path`` lists the division codes from the Ministry down to this
    department, each followed by a slash, so a subtree is a prefix match.
    """

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Six digits down to county level, nine for a township.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    division_name: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(80))
    level: Mapped[DepartmentLevel] = mapped_column(
        Enum(DepartmentLevel, native_enum=False, length=12)
    )
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    path: Mapped[str] = mapped_column(String(64), index=True)

    parent: Mapped["Department | None"] = relationship(
        remote_side=[id], back_populates="children"
    )
    children: Mapped[list["Department"]] = relationship(back_populates="parent")

    def __repr__(self):
        return f"<Department {self.code} {self.name}>"

    @property
    def can_appoint(self):
        """Return whether this department may designate or appoint counselors.

        Only departments at county level or above may; townships nominate
        and their county enters the nomination.
        """
        return self.level.value <= DepartmentLevel.COUNTY.value

    def is_within(self, other):
        """Return whether this department is ``other`` or lies below it."""
        return self.path.startswith(other.path)
