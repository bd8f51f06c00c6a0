"""A database lease that lets only one scheduler process run jobs."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from workflow.extensions import db


class SchedulerLease(db.Model):
    """Who runs the scheduled jobs, until when unless renewed."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
