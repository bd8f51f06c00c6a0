"""Claims on queue items: who is handling a record now."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow.extensions import db


class QueueClaim(db.Model):
    """A user's claim on a record while it stays in the state it was claimed in.

    ``record_type`` is the model's table name, as in ``AuditEvent``, so the
    same table serves every workflow that feeds the queue. ``state`` is the
    state's enum name, as the record's own state column stores it, so SQL
    can compare the two.
    """

    __tablename__ = "queue_claim"

    record_type: Mapped[str] = mapped_column(String(30), primary_key=True)
    record_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    state: Mapped[str] = mapped_column(String(30))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # Set when a department administrator assigned the record to someone.
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    claimed_at: Mapped[datetime]

    assignee = relationship("User", foreign_keys=[assignee_id])
    assigned_by = relationship("User", foreign_keys=[assigned_by_id])
