"""The counselor record: registry fields plus its place in the workflow."""

from datetime import date, datetime

from sqlalchemy import Computed, Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.errors import ACTIVE_ID_NUMBER
from workflow.extensions import db
from workflow.states.counselor import (
    ACTIVE_STATES,
    COUNSELOR_WORKFLOW,
    CounselorState,
)

# The active states as the state column stores them.
_ACTIVE_NAMES = ", ".join(f"'{state.name}'" for state in ACTIVE_STATES)


class Counselor(db.Model):
    """A person nominated to, or standing in, the counselor registry.

    The record belongs to its appointing department (``department``), which
    alone acts on it; ancestor departments may read it. ``version`` is
    checked on every update so two reviewers cannot both decide it.
    """

    __tablename__ = "counselor"
    __table_args__ = (
        Index("ix_counselor_queue", "department_id", "state", "state_changed_at"),
        # Read in order by the queue's first pages, which stop after a page
        # of waiting records instead of sorting all of them.
        Index("ix_counselor_waiting", "department_id", "state_changed_at", "id"),
        Index("ix_counselor_id_number", "id_number"),
        Index("ix_counselor_name", "name"),
        Index("uq_counselor_active_id_number", ACTIVE_ID_NUMBER, unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[CounselorState] = mapped_column(
        Enum(CounselorState, native_enum=False, length=20),
        default=CounselorState.DRAFT,
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    submitted_at: Mapped[datetime | None]
    state_changed_at: Mapped[datetime] = mapped_column(default=datetime.now)

    # Basic information.
    name: Mapped[str] = mapped_column(String(30))
    gender: Mapped[str] = mapped_column(String(1))
    id_number: Mapped[str] = mapped_column(String(18))
    # The ID number while the record is active, NULL otherwise. Its unique
    # index rejects a second active record for one person even when two
    # users pass the checks before writing at the same moment. Deferred, so
    # no query loads it.
    active_id_number: Mapped[str | None] = mapped_column(
        String(18),
        Computed(
            f"CASE WHEN state IN ({_ACTIVE_NAMES}) THEN id_number END",
            persisted=True,
        ),
        deferred=True,
    )
    birth_date: Mapped[date]
    ethnicity: Mapped[str] = mapped_column(String(10))
    political_status: Mapped[str] = mapped_column(String(10))
    education: Mapped[str] = mapped_column(String(10))
    professional_title: Mapped[str | None] = mapped_column(String(60))
    employer: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(60))
    mobile: Mapped[str] = mapped_column(String(11))
    email: Mapped[str | None] = mapped_column(String(120))

    # Specialty and service.
    source: Mapped[str] = mapped_column(String(30))
    working_mode: Mapped[str] = mapped_column(String(4))
    entry_mode: Mapped[str] = mapped_column(String(4))
    served_cooperatives: Mapped[int] = mapped_column(default=0)
    served_family_farms: Mapped[int] = mapped_column(default=0)
    served_others: Mapped[int] = mapped_column(default=0)

    # Settings copied when the record's path starts; see config.py.
    notice_working_days: Mapped[int]
    term_years: Mapped[int]

    # Filled in by the workflow.
    notice_starts_on: Mapped[date | None]
    notice_ends_on: Mapped[date | None]
    appointed_on: Mapped[date | None]
    term_starts_on: Mapped[date | None]
    term_ends_on: Mapped[date | None]
    certificate_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    # The day the counselor left the registry, whichever way they left.
    left_on: Mapped[date | None]
    # The counselor's self-service account, opened by the department.
    account_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id"), unique=True
    )

    department = relationship("Department")
    created_by = relationship("User", foreign_keys=[created_by_id])
    account_user = relationship("User", foreign_keys=[account_user_id])
    work_area_rows: Mapped[list["CounselorWorkArea"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    industry_rows: Mapped[list["CounselorIndustry"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    service_area_rows: Mapped[list["CounselorServiceArea"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}
    __workflow__ = COUNSELOR_WORKFLOW
    # A counselor's self-service account sees the record whose id matches.
    __counselor_key__ = "id"

    def __repr__(self):
        return f"<Counselor {self.id} {self.state.value}>"

    @property
    def work_areas(self):
        return [row.work_area for row in self.work_area_rows]

    @work_areas.setter
    def work_areas(self, values):
        self.work_area_rows = [CounselorWorkArea(work_area=v) for v in values or ()]

    @property
    def industries(self):
        return [row.industry for row in self.industry_rows]

    @industries.setter
    def industries(self, values):
        self.industry_rows = [CounselorIndustry(industry=v) for v in values or ()]

    @property
    def service_area_codes(self):
        return [row.division_code for row in self.service_area_rows]

    @service_area_codes.setter
    def service_area_codes(self, codes):
        self.service_area_rows = [
            CounselorServiceArea(division_code=code) for code in codes or ()
        ]

    @property
    def tier_label(self):
        """Return the tier named after the appointing department's level."""
        return self.department.level.tier_label

    @property
    def masked_id_number(self):
        """Return the ID number with the birth date and serial hidden."""
        return f"{self.id_number[:6]}********{self.id_number[-4:]}"


# Multi-valued fields live in their own tables so the queue and the
# dashboards can filter and count by them with plain indexed SQL.


class CounselorWorkArea(db.Model):
    """One work area (counselor type) of a counselor."""

    __tablename__ = "counselor_work_area"

    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("counselor.id"), primary_key=True
    )
    work_area: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class CounselorIndustry(db.Model):
    """One industry field a counselor serves."""

    __tablename__ = "counselor_industry"

    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("counselor.id"), primary_key=True
    )
    industry: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class CounselorServiceArea(db.Model):
    """One division a counselor serves: a county or above, or a township."""

    __tablename__ = "counselor_service_area"

    counselor_id: Mapped[int] = mapped_column(
        ForeignKey("counselor.id"), primary_key=True
    )
    division_code: Mapped[str] = mapped_column(String(12), primary_key=True, index=True)
