"""The append-only log of sign-ins, account changes and personal-data access."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class SecurityEvent(db.Model):
    """One security-relevant action: who, on what, from where, when and why.

    Workflow state changes are in ``AuditEvent``; this table holds what the
    classified-protection baseline also asks to be logged: sign-ins and
    failed attempts, account administration, every view of a full ID
    number and every export with its stated purpose. Rows are only ever
    inserted; the ORM refuses updates and deletes.
    """

    __tablename__ = "security_event"
    __table_args__ = (
        Index("ix_security_event_address", "action", "address", "created_at"),
        Index("ix_security_event_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(40))
    # Null for a failed sign-in with an unknown user name.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    subject_type: Mapped[str | None] = mapped_column(String(30))
    subject_id: Mapped[int | None]
    # The stated purpose of an export or view, or what an account change did.
    detail: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(default=datetime.now, index=True)

    actor = relationship("User", foreign_keys=[actor_id])
    department = relationship("Department")


@event.listens_for(SecurityEvent, "before_update")
@event.listens_for(SecurityEvent, "before_delete")
def _refuse_change(mapper, connection, target):
    raise PermissionError(
        f"Security event {target.id} is append-only and cannot be changed or deleted"
    )
