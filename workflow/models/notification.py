"""In-product notifications (the bell) and each user's email preferences."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.extensions import db


class Notification(db.Model):
    """A message shown to one user in the product until they open it."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_inbox", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    kind: Mapped[str] = mapped_column(String(40))
    context: Mapped[dict] = mapped_column(JSON)
    record_type: Mapped[str | None] = mapped_column(String(30))
    record_id: Mapped[int | None]
    link: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class EmailOptOut(db.Model):
    """A user's choice not to receive one optional kind of message by email."""

    __tablename__ = "email_opt_out"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
