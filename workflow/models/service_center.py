"""The service center: its filing application and its place in the workflow."""

from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db
from workflow.states.service_center import CENTER_WORKFLOW, CenterState


class ServiceCenter(db.Model):
    """A service center applied for by an organisation and filed by a department.

    The filing department (``department``, the county the center serves)
    owns the record and decides on it; its ancestors may read it. The
    applicant organisation edits and submits it through its own account.
    """

    __tablename__ = "service_center"
    __table_args__ = (
        Index("ix_service_center_queue", "department_id", "state", "state_changed_at"),
        # See ix_counselor_waiting.
        Index("ix_service_center_waiting", "department_id", "state_changed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    state: Mapped[CenterState] = mapped_column(
        Enum(CenterState, native_enum=False, length=30),
        default=CenterState.DRAFT,
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("applicant_organisation.id"), index=True
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    submitted_at: Mapped[datetime | None]
    state_changed_at: Mapped[datetime] = mapped_column(default=datetime.now)

    # The application.
    name: Mapped[str] = mapped_column(String(100))
    organisation_type: Mapped[str] = mapped_column(String(20))
    establishment: Mapped[str] = mapped_column(String(10))
    co_building_mode: Mapped[str] = mapped_column(String(10))
    county_code: Mapped[str] = mapped_column(String(6))
    address: Mapped[str] = mapped_column(String(200))
    service_phone: Mapped[str] = mapped_column(String(20))
    registered_on: Mapped[date]
    declares_no_violation: Mapped[bool] = mapped_column(default=False)
    work_guide: Mapped[str] = mapped_column(Text)
    code_of_conduct: Mapped[str] = mapped_column(Text)
    price_disclosure: Mapped[str] = mapped_column(Text)
    record_keeping: Mapped[str] = mapped_column(Text)

    # Filled in by the workflow.
    filing_number: Mapped[str | None] = mapped_column(String(24), unique=True)
    filed_on: Mapped[date | None]
    rectification_deadline: Mapped[date | None]
    closed_on: Mapped[date | None]

    department = relationship("Department")
    organisation = relationship("ApplicantOrganisation")
    created_by = relationship("User")
    services: Mapped[list["CenterService"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CenterService.position",
    )
    staff: Mapped[list["CenterStaff"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CenterStaff.position",
    )
    prices = relationship(
        "CenterPrice",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="CenterPrice.position",
    )
    attachments = relationship(
        "Attachment",
        cascade="all, delete-orphan",
        order_by="Attachment.id",
        back_populates="center",
    )

    __mapper_args__ = {"version_id_col": version}
    __workflow__ = CENTER_WORKFLOW

    def __repr__(self):
        return f"<ServiceCenter {self.id} {self.state.value}>"

    @property
    def work_areas(self):
        """Return the distinct work areas of the services offered, in order."""
        return list(dict.fromkeys(service.work_area for service in self.services))


class CenterService(db.Model):
    """One service a center offers, under a counselor work area."""

    __tablename__ = "center_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    work_area: Mapped[str] = mapped_column(String(10), index=True)
    details: Mapped[str] = mapped_column(String(500))


class CenterStaff(db.Model):
    """One member of a center's staff, linked to the registry when a counselor."""

    __tablename__ = "center_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    center_id: Mapped[int] = mapped_column(ForeignKey("service_center.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(30))
    post: Mapped[str] = mapped_column(String(60))
    counselor_id: Mapped[int | None] = mapped_column(ForeignKey("counselor.id"))

    counselor = relationship("Counselor")
