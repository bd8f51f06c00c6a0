"""The annual report of each department and extensions of its window."""

from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db
from workflow.states.annual_report import ANNUAL_REPORT_WORKFLOW, AnnualReportState


class AnnualReport(db.Model):
    """One department's report (年度报送) of one year's registry data.

    ``year`` is the year the data describes; the report is entered in the
    window of the following year. The reporting department owns the
    record; its parent department returns or accepts it.
    """

    __tablename__ = "annual_report"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[AnnualReportState] = mapped_column(
        Enum(AnnualReportState, native_enum=False, length=20),
        default=AnnualReportState.NOT_STARTED,
        index=True,
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    state_changed_at: Mapped[datetime] = mapped_column(default=datetime.now)
    submitted_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    return_reason: Mapped[str | None] = mapped_column(Text)

    department = relationship("Department")

    __mapper_args__ = {"version_id_col": version}
    __workflow__ = ANNUAL_REPORT_WORKFLOW

    def __repr__(self):
        return f"<AnnualReport {self.id} {self.year} {self.state.value}>"


class ReportingWindowExtension(db.Model):
    """A later closing date of one department's window, set nationally."""

    __tablename__ = "reporting_window_extension"
    __table_args__ = (UniqueConstraint("department_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    year: Mapped[int]
    closes_on: Mapped[date]
    reason: Mapped[str] = mapped_column(String(500))
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(default=datetime.now)

    department = relationship("Department")
    granted_by = relationship("User")
