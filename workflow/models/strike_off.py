"""Strike-offs (除名) for conduct breaches, with their evidence file."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from workflow.extensions import db
from workflow.mariadb import LONG_BINARY


class StrikeOff(db.Model):
    """The record of one counselor struck off the registry.

    The ID number is copied here so the cooling-off check on a new
    nomination is one indexed query. ``lifted_on`` is set when the
    appointing department reinstates the counselor; a lifted strike-off no
    longer blocks nomination. The evidence file is stored in the row so
    that it commits or rolls back with the step.
    """

    __tablename__ = "strike_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    counselor_id: Mapped[int] = mapped_column(ForeignKey("counselor.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    reason_code: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text)
    struck_off_on: Mapped[date]
    lifted_on: Mapped[date | None]
    evidence_filename: Mapped[str] = mapped_column(String(200))
    evidence_content_type: Mapped[str] = mapped_column(String(60))
    evidence_sha256: Mapped[str] = mapped_column(String(64))
    evidence_size: Mapped[int]
    evidence: Mapped[bytes] = deferred(mapped_column(LONG_BINARY))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    recorded_by = relationship("User")

    def __repr__(self):
        return f"<StrikeOff {self.id} counselor {self.counselor_id}>"
