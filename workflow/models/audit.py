"""The append-only audit trail of every state change."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class AuditEvent(db.Model):
    """A record of who moved which record between states, when and why.

    Rows are only ever inserted; the ORM refuses updates and deletes.
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_record", "record_type", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(40))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id"))
    # Set when the change came from a spreadsheet import.
    import_batch_id: Mapped[int | None] = mapped_column(
        ForeignKey("import_batch.id"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=datetime.now)

    actor = relationship("User")
    department = relationship("Department")


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise PermissionError(
        f"Audit event {target.id} is append-only and cannot be changed or deleted"
    )
