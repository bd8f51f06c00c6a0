"""What a counselor did in a year: service records and training records.

Both belong to the counselor's appointing department (``department_id`` is
copied from the counselor) and may be changed only by their author until
the department's evaluation of that year is confirmed.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class ServiceRecord(db.Model):
    """One service a counselor gave a served entity (服务记录)."""

    __tablename__ = "service_record"
    __table_args__ = (
        Index("ix_service_record_counselor_day", "counselor_id", "served_on"),
    )
    __counselor_key__ = "counselor_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("counselor.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    entity_id: Mapped[int] = mapped_column(ForeignKey("served_entity.id"), index=True)
    served_on: Mapped[date]
    work_area: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)
    result: Mapped[str] = mapped_column(Text)
    satisfaction: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(default=datetime.now)

    counselor = relationship("Counselor")
    entity = relationship("ServedEntity", lazy="joined")
    author = relationship("User")
    department = relationship("Department")

    def __repr__(self):
        return f"<ServiceRecord {self.id} counselor {self.counselor_id}>"

    @property
    def day(self):
        """Return the date the record is about, for the shared edit rules."""
        return self.served_on


class TrainingRecord(db.Model):
    """A course a counselor attended, with its hours (培训记录)."""

    __tablename__ = "training_record"
    __table_args__ = (
        Index("ix_training_record_counselor_day", "counselor_id", "trained_on"),
    )
    __counselor_key__ = "counselor_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("counselor.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    course: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))
    category: Mapped[str] = mapped_column(String(10))
    hours: Mapped[Decimal] = mapped_column(Numeric(5, 1))
    trained_on: Mapped[date]
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)
    updated_at: Mapped[datetime] = mapped_column(default=datetime.now)

    counselor = relationship("Counselor")
    author = relationship("User")
    department = relationship("Department")

    def __repr__(self):
        return f"<TrainingRecord {self.id} counselor {self.counselor_id}>"

    @property
    def day(self):
        """Return the date the record is about, for the shared edit rules."""
        return self.trained_on
